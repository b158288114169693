package org.mpft.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.PinnedCertificate;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Strategy;

/**
 * The SSH bootstrap: runs the system's {@code ssh} (so the user's {@code ~/.ssh/config}, agent, keys,
 * known_hosts, ProxyJump and {@code -o} options all apply, and ssh asks on the terminal what it needs to) with
 * the host's command {@value #OFFER_COMMAND}, and reads the session offer it prints. When the offer names no QUIC
 * host, the host ssh connected to is used, as ssh resolves it ({@code ssh -G}: aliases, {@code HostName}).
 */
final class SshBootstrap {

    /** The host command that prints a session offer. */
    static final String OFFER_COMMAND = "mpft-offer";

    /**
     * The tokens asked for in one offer by default: a download logs in once, and again after a busy answer or a
     * restart; a few spare ones save running ssh again for those.
     */
    static final int DEFAULT_TOKENS = 4;

    /** The most tokens one offer may carry (the host's limit for {@code mpft-offer --tokens}). */
    static final int MAX_TOKENS = 16;

    /** Where a session offer sends the login: the user, QUIC host and port, and the pinned certificate. */
    record Login(String user, String host, int port, Credentials credentials, PinnedCertificate pin) {
    }

    private final SshOptions options;
    private final Path identity;
    private final int tokensPerOffer;

    /**
     * With {@value #DEFAULT_TOKENS} tokens an offer.
     *
     * @param options  the ssh options of the command line
     * @param identity the {@code -i} key for ssh, or null for ssh's own choice
     */
    SshBootstrap(SshOptions options, Path identity) {
        this(options, identity, DEFAULT_TOKENS);
    }

    /**
     * @param options        the ssh options of the command line
     * @param identity       the {@code -i} key for ssh, or null for ssh's own choice
     * @param tokensPerOffer the tokens to ask for in each offer, 1 to {@value #MAX_TOKENS} (a command running
     *                       N sessions at once asks for N, so that one offer serves them all)
     */
    SshBootstrap(SshOptions options, Path identity, int tokensPerOffer) {
        if (tokensPerOffer < 1 || tokensPerOffer > MAX_TOKENS) {
            throw new IllegalArgumentException("tokens per offer must be 1 to " + MAX_TOKENS + ", got "
                    + tokensPerOffer);
        }
        this.options = options;
        this.identity = identity;
        this.tokensPerOffer = tokensPerOffer;
    }

    /**
     * Asks the host for a session offer over SSH.
     *
     * @throws MpftException {@link ErrorCode#SERVER_UNAVAILABLE} when ssh cannot run or fails (the message has
     *                       its exit code and the last line it wrote on stderr), {@link ErrorCode#PROTOCOL_ERROR}
     *                       when its output is not an offer
     */
    SessionOffer offer(SshTarget target) throws MpftException {
        List<String> command = tokensPerOffer == 1 ? List.of(OFFER_COMMAND)
                : List.of(OFFER_COMMAND, "--tokens", Integer.toString(tokensPerOffer));
        String out = run(options.command(identity, List.of(), target.destination(), command), target, true);
        return SessionOffer.parse(out);
    }

    /**
     * The login a session offer gives for {@code target}: the offered (or ssh's) host and port, the offer's
     * user, tokens drawn one per login (a new offer over ssh when they run out or expire) and the offer's
     * certificate as the only one trusted.
     *
     * @throws MpftException as {@link #offer(SshTarget)}
     */
    Login login(SshTarget target) throws MpftException {
        long asked = System.nanoTime();
        SessionOffer offer = offer(target);
        String host = offer.host() != null ? offer.host() : resolvedHost(target);
        OfferedTokens tokens = new OfferedTokens(offer, asked, () -> offer(target), System::nanoTime);
        return new Login(offer.user(), host, offer.port(), new Credentials.TokenSource(tokens),
                new PinnedCertificate(offer.certificateSha256()));
    }

    /**
     * The download of {@code target} with a session offer's {@link #login(SshTarget)}.
     *
     * @param output where the download writes
     * @throws MpftException as {@link #offer(SshTarget)}
     */
    DownloadRequest request(SshTarget target, Path output, Strategy strategy, boolean resume, int retries,
                            boolean compress, Duration busyWait, boolean hashLocally) throws MpftException {
        Login login = login(target);
        return new DownloadRequest(login.user(), login.host(), login.port(), target.path(), output,
                login.credentials(), login.pin(), strategy, resume, retries, compress, busyWait, null, hashLocally);
    }

    /** The host name ssh connects to for {@code target} ({@code ssh -G}: its {@code hostname} line). */
    String resolvedHost(SshTarget target) throws MpftException {
        String out = run(options.command(identity, List.of("-G"), target.destination(), List.of()), target, false);
        for (String line : out.split("\r?\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("hostname ")) {
                return line.substring("hostname ".length()).strip();
            }
        }
        return target.host();
    }

    private String run(List<String> command, SshTarget target, boolean terminal) throws MpftException {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            // ssh asks for passphrases and host-key confirmations on the terminal itself; its stdin stays the user's
            builder.redirectInput(terminal ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
            process = builder.start();
        } catch (IOException e) {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "cannot run " + options.program + ": "
                    + e.getMessage());
        }
        try {
            if (!terminal) {
                process.getOutputStream().close();
            }
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            byte[] out = readAll(process.getInputStream());
            int exit = process.waitFor();
            String errText = new String(err.join(), StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "ssh " + target.destination() + " "
                        + String.join(" ", command.subList(command.indexOf(target.destination()) + 1, command.size()))
                        + " failed (exit " + exit + ")" + lastLine(errText));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "reading from ssh: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new MpftException(ErrorCode.CANCELLED, "cancelled while ssh ran");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastLine(String stderr) {
        List<String> lines = stderr.strip().lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip();
    }
}

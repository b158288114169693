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

    private final SshOptions options;
    private final Path identity;

    /**
     * @param options  the ssh options of the command line
     * @param identity the {@code -i} key for ssh, or null for ssh's own choice
     */
    SshBootstrap(SshOptions options, Path identity) {
        this.options = options;
        this.identity = identity;
    }

    /**
     * Asks the host for a session offer over SSH.
     *
     * @throws MpftException {@link ErrorCode#SERVER_UNAVAILABLE} when ssh cannot run or fails (the message has
     *                       its exit code and the last line it wrote on stderr), {@link ErrorCode#PROTOCOL_ERROR}
     *                       when its output is not an offer
     */
    SessionOffer offer(SshTarget target) throws MpftException {
        String out = run(options.command(identity, List.of(), target.destination(), List.of(OFFER_COMMAND)),
                target, true);
        return SessionOffer.parse(out);
    }

    /**
     * The download of {@code target} with a session offer: the offered (or ssh's) host and port, the offer's
     * token as the login and its certificate as the only one trusted.
     *
     * @param output where the download writes
     * @throws MpftException as {@link #offer(SshTarget)}
     */
    DownloadRequest request(SshTarget target, Path output, Strategy strategy, boolean resume, int retries,
                            boolean compress, Duration busyWait) throws MpftException {
        SessionOffer offer = offer(target);
        String host = offer.host() != null ? offer.host() : resolvedHost(target);
        return new DownloadRequest(offer.user(), host, offer.port(), target.path(), output,
                new Credentials.Token(offer.token()), new PinnedCertificate(offer.certificateSha256()), strategy,
                resume, retries, compress, busyWait, null);
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

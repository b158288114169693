package org.mpft.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.mpft.client.HostKeyVerifier;
import org.mpft.client.KnownHostsFile;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The command's server trust: the library's {@link KnownHostsFile}, with an unknown server pinned without
 * asking under {@code --accept-new}, else put to the user on the terminal (ssh's question), else refused
 * with a message naming {@code --accept-new}. It keeps the last refusal, so the command can report it even
 * when the network layer wraps it in a failed handshake.
 *
 * <p>Thread-safe (the file serialises verifications).
 */
final class PromptingHostKeys implements HostKeyVerifier, KnownHostsFile.UnknownServerPolicy {

    private final KnownHostsFile file;
    private final boolean acceptNew;
    private final Terminal terminal;
    private volatile MpftException refusal;

    /**
     * @param file      the known-hosts file (need not exist)
     * @param acceptNew pin unknown servers without asking
     * @param terminal  where to ask, or null when there is no terminal
     * @param messages  where to tell the user about pins (stderr)
     */
    PromptingHostKeys(Path file, boolean acceptNew, Terminal terminal, PrintStream messages) {
        Objects.requireNonNull(messages, "messages");
        this.file = new KnownHostsFile(file, this, notice -> messages.println("mpft: " + notice));
        this.acceptNew = acceptNew;
        this.terminal = terminal;
    }

    /** The last refusal, or null. */
    MpftException refusal() {
        return refusal;
    }

    @Override
    public void verify(String hostAndPort, byte[] certificateSha256, String vouchedBy) throws MpftException {
        try {
            file.verify(hostAndPort, certificateSha256, vouchedBy);
        } catch (MpftException e) {
            refusal = e;
            throw e;
        }
    }

    @Override
    public boolean trust(String hostAndPort, byte[] certificateSha256) throws MpftException {
        if (acceptNew) {
            return true;
        }
        String fingerprint = KnownHostsFile.fingerprint(certificateSha256);
        if (terminal == null) {
            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "the authenticity of server " + hostAndPort
                    + " can't be established (certificate " + fingerprint + ") and there is no terminal to ask:"
                    + " check the fingerprint and run again with --accept-new to trust it on first use, or add it to "
                    + file.file());
        }
        String question = "The authenticity of server " + hostAndPort + " can't be established.\n"
                + "Certificate SHA256 fingerprint is " + fingerprint + ".\n"
                + "Are you sure you want to continue connecting (yes/no)? ";
        while (true) {
            String answer = terminal.readLine(question);
            answer = answer == null ? "no" : answer.trim().toLowerCase(Locale.ROOT);
            if (answer.equals("yes")) {
                return true;
            }
            if (answer.equals("no")) {
                throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "server " + hostAndPort
                        + " not trusted: certificate refused by the user");
            }
            question = "Please type 'yes' or 'no': ";
        }
    }
}

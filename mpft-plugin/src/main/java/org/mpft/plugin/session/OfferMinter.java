package org.mpft.plugin.session;

import java.util.Objects;
import org.mpft.protocol.Bytes;

/**
 * Writes the session offer that a host prints to a user it has authenticated (its SSH command
 * {@code mpft-offer}): where to connect over QUIC, the SHA-256 of the listener's certificate (the client pins
 * it, the SSH channel having vouched for it) and a fresh single-use login token bound to the user. One
 * {@code key value} pair a line after the first line {@value #FIRST_LINE}:
 * <pre>
 * mpft-offer 1
 * user alice
 * host files.example.org        (absent: the host the client reached over SSH)
 * port 7300
 * certificate-sha256 64 hex digits
 * token 64 hex digits
 * expires-in-ms 30000
 * </pre>
 * A reader ignores keys it does not know. Thread-safe.
 */
public final class OfferMinter {

    /** The first line of an offer: the format and its version. */
    public static final String FIRST_LINE = "mpft-offer 1";

    private final LoginTokens tokens;
    private final String host;
    private final int port;
    private final Bytes certificateSha256;

    /**
     * @param tokens            where tokens are minted and later redeemed
     * @param host              the host clients reach the listener at, or null for the host they reached over SSH
     * @param port              the UDP port clients reach the listener at
     * @param certificateSha256 the SHA-256 of the listener's TLS certificate
     */
    public OfferMinter(LoginTokens tokens, String host, int port, Bytes certificateSha256) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.host = host;
        this.port = port;
        this.certificateSha256 = Objects.requireNonNull(certificateSha256, "certificateSha256");
    }

    /** A new offer for {@code user}, with a new token. */
    public String offer(String user) {
        Bytes token = tokens.mint(user);
        StringBuilder text = new StringBuilder(FIRST_LINE).append('\n');
        text.append("user ").append(user).append('\n');
        if (host != null) {
            text.append("host ").append(host).append('\n');
        }
        text.append("port ").append(port).append('\n');
        text.append("certificate-sha256 ").append(certificateSha256.hex()).append('\n');
        text.append("token ").append(token.hex()).append('\n');
        text.append("expires-in-ms ").append(tokens.lifetime().toMillis()).append('\n');
        return text.toString();
    }
}

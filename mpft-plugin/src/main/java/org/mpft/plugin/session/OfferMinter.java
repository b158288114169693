package org.mpft.plugin.session;

import java.util.List;
import java.util.Objects;
import org.mpft.protocol.Bytes;

/**
 * Writes the session offer that a host prints to a user it has authenticated (its SSH command
 * {@code mpft-offer}): where to connect over QUIC, the SHA-256 of the listener's certificate (the client pins
 * it, the SSH channel having vouched for it) and fresh single-use login tokens bound to the user: one, or as
 * many as the command's {@code --tokens N} asks for ({@value #MAX_TOKENS} at most; a client logs in once per
 * token: retries after a busy answer, restarts, parallel sessions). One {@code key value} pair a line after the
 * first line {@value #FIRST_LINE}, one {@code token} line per token:
 * <pre>
 * mpft-offer 1
 * user alice
 * host files.example.org        (absent: the host the client reached over SSH)
 * port 7300
 * certificate-sha256 64 hex digits
 * token 64 hex digits
 * token 64 hex digits          (more token lines with --tokens N)
 * expires-in-ms 30000          (every token of the offer)
 * </pre>
 * A reader ignores keys it does not know. Thread-safe.
 */
public final class OfferMinter {

    /** The first line of an offer: the format and its version. */
    public static final String FIRST_LINE = "mpft-offer 1";

    /** The most tokens one offer carries. */
    public static final int MAX_TOKENS = 16;

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

    /**
     * The number of tokens the offer command's arguments ask for: none for 1, or {@code --tokens N} (also
     * {@code --tokens=N}) with N from 1 to {@value #MAX_TOKENS}.
     *
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    public static int tokenCount(List<String> arguments) {
        String value = null;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (value != null) {
                throw new IllegalArgumentException("unexpected argument '" + argument + "' (usage: mpft-offer"
                        + " [--tokens N])");
            }
            if (argument.equals("--tokens")) {
                if (i + 1 == arguments.size()) {
                    throw new IllegalArgumentException("--tokens needs a number from 1 to " + MAX_TOKENS);
                }
                value = arguments.get(++i);
            } else if (argument.startsWith("--tokens=")) {
                value = argument.substring("--tokens=".length());
            } else {
                throw new IllegalArgumentException("unknown argument '" + argument + "' (usage: mpft-offer"
                        + " [--tokens N])");
            }
        }
        if (value == null) {
            return 1;
        }
        int count;
        try {
            count = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > MAX_TOKENS) {
            throw new IllegalArgumentException("--tokens must be a number from 1 to " + MAX_TOKENS + ", got '"
                    + value + "'");
        }
        return count;
    }

    /** A new offer for {@code user}, with one new token. */
    public String offer(String user) throws LoginTokens.TooMany {
        return offer(user, 1);
    }

    /**
     * A new offer for {@code user}, with {@code count} new tokens (1 to {@value #MAX_TOKENS}).
     *
     * @throws LoginTokens.TooMany when the user would hold more live tokens than allowed (none is minted)
     */
    public String offer(String user, int count) throws LoginTokens.TooMany {
        if (count < 1 || count > MAX_TOKENS) {
            throw new IllegalArgumentException("token count must be 1 to " + MAX_TOKENS + ", got " + count);
        }
        List<Bytes> minted = tokens.mint(user, count);
        StringBuilder text = new StringBuilder(FIRST_LINE).append('\n');
        text.append("user ").append(user).append('\n');
        if (host != null) {
            text.append("host ").append(host).append('\n');
        }
        text.append("port ").append(port).append('\n');
        text.append("certificate-sha256 ").append(certificateSha256.hex()).append('\n');
        for (Bytes token : minted) {
            text.append("token ").append(token.hex()).append('\n');
        }
        text.append("expires-in-ms ").append(tokens.lifetime().toMillis()).append('\n');
        return text.toString();
    }
}

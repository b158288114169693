package org.mpft.cli;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * A session offer as the host's SSH command {@code mpft-offer} prints it: a first line {@value #FIRST_LINE},
 * then {@code key value} lines ({@code user}, optional {@code host}, {@code port}, {@code certificate-sha256},
 * one {@code token} line per token, {@code expires-in-ms}); keys not known here are ignored.
 *
 * @param user              the user the token logs in
 * @param host              the QUIC host, or null for the host reached over SSH
 * @param port              the QUIC (UDP) port
 * @param certificateSha256 the SHA-256 of the server's TLS certificate
 * @param tokens            the single-use login tokens, at least one
 * @param expiresInMs       how long after it was minted every token of the offer is valid
 */
record SessionOffer(String user, String host, int port, byte[] certificateSha256, List<byte[]> tokens,
                    long expiresInMs) {

    /** The lifetime assumed when an offer names none: the server's default {@code mpft.login-token-lifetime}. */
    static final long DEFAULT_EXPIRES_IN_MS = 30_000;

    /** The first line of the offers this client reads. */
    static final String FIRST_LINE = "mpft-offer 1";

    /**
     * Parses ssh's output.
     *
     * @throws MpftException {@link ErrorCode#PROTOCOL_ERROR} naming what is missing or malformed
     */
    static SessionOffer parse(String text) throws MpftException {
        String[] lines = text.strip().split("\r?\n");
        if (!lines[0].strip().equals(FIRST_LINE)) {
            throw bad("it does not start with '" + FIRST_LINE + "' (is mpft installed on that host?)");
        }
        String user = null;
        String host = null;
        String port = null;
        String certificate = null;
        List<String> tokenLines = new ArrayList<>();
        String expires = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1).strip();
            switch (key) {
                case "user" -> user = value;
                case "host" -> host = value;
                case "port" -> port = value;
                case "certificate-sha256" -> certificate = value;
                case "token" -> tokenLines.add(value);
                case "expires-in-ms" -> expires = value;
                default -> { }
            }
        }
        if (user == null || user.isEmpty()) {
            throw bad("it names no user");
        }
        int quicPort;
        try {
            quicPort = Integer.parseInt(require(port, "port"));
        } catch (NumberFormatException e) {
            throw bad("its port '" + port + "' is not a number");
        }
        if (quicPort < 1 || quicPort > 65535) {
            throw bad("its port " + quicPort + " is out of range");
        }
        byte[] sha256 = hex(require(certificate, "certificate-sha256"), "certificate-sha256");
        if (sha256.length != 32) {
            throw bad("its certificate-sha256 is not 32 bytes");
        }
        if (tokenLines.isEmpty()) {
            throw bad("it has no 'token' line");
        }
        List<byte[]> tokens = new ArrayList<>();
        for (String token : tokenLines) {
            byte[] tokenBytes = hex(token, "token");
            if (tokenBytes.length == 0) {
                throw bad("its token is empty");
            }
            tokens.add(tokenBytes);
        }
        long expiresInMs = DEFAULT_EXPIRES_IN_MS;
        if (expires != null) {
            try {
                expiresInMs = Long.parseLong(expires);
            } catch (NumberFormatException e) {
                expiresInMs = -1;
            }
            if (expiresInMs < 1) {
                throw bad("its expires-in-ms '" + expires + "' is not a positive number");
            }
        }
        return new SessionOffer(user, host == null || host.isEmpty() ? null : host, quicPort, sha256,
                List.copyOf(tokens), expiresInMs);
    }

    private static String require(String value, String key) throws MpftException {
        if (value == null) {
            throw bad("it has no '" + key + "' line");
        }
        return value;
    }

    private static byte[] hex(String value, String key) throws MpftException {
        try {
            return HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException e) {
            throw bad("its " + key + " is not hex");
        }
    }

    private static MpftException bad(String why) {
        return new MpftException(ErrorCode.PROTOCOL_ERROR, "the host's session offer is malformed: " + why);
    }

    @Override
    public String toString() {
        return "SessionOffer[user=" + user + ", host=" + host + ", port=" + port + ", tokens=" + tokens.size()
                + " ***, expiresInMs=" + expiresInMs + "]";
    }
}

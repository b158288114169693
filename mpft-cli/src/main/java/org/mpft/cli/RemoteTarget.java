package org.mpft.cli;

import org.mpft.client.DownloadRequest;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;

/**
 * A download target as typed on the command line: {@code [USER@]HOST[:PORT]:PATH}.
 * <ul>
 *   <li>{@code USER} may be left out (null): the ssh configuration's {@code User}, else the local user name;</li>
 *   <li>{@code HOST} is a name, an IPv4 address, or an IPv6 address in brackets ({@code [::1]});</li>
 *   <li>{@code PORT} (UDP, default {@value #DEFAULT_PORT}) is recognised as digits between two colons:
 *       {@code host:7301:data/x}; a path that itself starts with digits and a colon needs the port written
 *       out;</li>
 *   <li>{@code PATH} is relative to the user's root on the server; one leading {@code /} is allowed and
 *       means the same ({@code host:/data/x} = {@code host:data/x}). It must pass {@link RemotePath#validate}.</li>
 * </ul>
 *
 * @param user the user name, or null when the target names none
 * @param host the host, without brackets
 * @param port the UDP port
 * @param path the path relative to the user's root, valid
 */
record RemoteTarget(String user, String host, int port, String path) {

    /** The default UDP port of an mpft server. */
    static final int DEFAULT_PORT = DownloadRequest.DEFAULT_PORT;

    /** Thrown for a target that is not {@code USER@HOST[:PORT]:PATH}. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    /**
     * Parses a target.
     *
     * @throws SyntaxException when the shape is wrong
     * @throws MpftException   {@link org.mpft.protocol.ErrorCode#INVALID_PATH} when the path breaks the rules
     */
    static RemoteTarget parse(String text) throws SyntaxException, MpftException {
        String expected = "expected [USER@]HOST[:PORT]:PATH, got " + RemotePath.quote(text);
        int at = text.indexOf('@');
        int colon0 = text.indexOf(':');
        if (colon0 >= 0 && at > colon0) {
            at = -1; // an '@' in the path, not a user
        }
        if (at == 0) {
            throw new SyntaxException(expected + " (empty user)");
        }
        String user = at < 0 ? null : text.substring(0, at);
        String rest = text.substring(at + 1);
        String host;
        String afterHost;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new SyntaxException(expected + " (unclosed '[')");
            }
            host = rest.substring(1, close);
            afterHost = rest.substring(close + 1);
        } else {
            int colon = rest.indexOf(':');
            if (colon < 0) {
                throw new SyntaxException(expected + " (no ':PATH')");
            }
            host = rest.substring(0, colon);
            afterHost = rest.substring(colon);
        }
        if (host.isEmpty() || !host.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '/' && c != '@')) {
            throw new SyntaxException(expected + " (bad host)");
        }
        if (!afterHost.startsWith(":")) {
            throw new SyntaxException(expected + " (no ':PATH')");
        }
        String path = afterHost.substring(1);
        int port = DEFAULT_PORT;
        int colon = path.indexOf(':');
        if (colon > 0 && path.substring(0, colon).chars().allMatch(c -> c >= '0' && c <= '9')) {
            String digits = path.substring(0, colon);
            port = digits.length() > 5 ? -1 : Integer.parseInt(digits);
            if (port < 1 || port > 65535) {
                throw new SyntaxException("port out of range in " + RemotePath.quote(text));
            }
            path = path.substring(colon + 1);
        }
        if (path.isEmpty()) {
            throw new SyntaxException(expected + " (empty path)");
        }
        if (path.startsWith("/")) {
            path = path.substring(1); // relative to the user's root
        }
        RemotePath.validate(path);
        return new RemoteTarget(user, host, port, path);
    }

    /** The last segment of the path: the default local file name. */
    String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}

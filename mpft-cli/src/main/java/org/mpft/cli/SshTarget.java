package org.mpft.cli;

import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;

/**
 * A download target in the SSH form, as scp takes it: {@code [USER@]HOST:PATH}, with no QUIC port. {@code HOST}
 * is whatever ssh takes (a name, an alias of {@code ~/.ssh/config}, an address, an IPv6 address in brackets);
 * without {@code USER} ssh's own default applies ({@code User} of the config, else the local user).
 *
 * @param user the user, or null for ssh's default
 * @param host the host as ssh takes it, without brackets
 * @param path the path relative to the user's root, valid
 */
record SshTarget(String user, String host, String path) {

    /**
     * Parses a target in the SSH form.
     *
     * @return the target, or null when the text names a QUIC port ({@code USER@HOST:PORT:PATH}, the direct form)
     *         or is not of this shape (the direct form's parser then names the problem)
     * @throws MpftException {@link org.mpft.protocol.ErrorCode#INVALID_PATH} when the path breaks the rules
     */
    static SshTarget parse(String text) throws MpftException {
        int at = text.indexOf('@');
        int colonBeforeAt = text.indexOf(':');
        if (at >= 0 && colonBeforeAt >= 0 && colonBeforeAt < at) {
            return null; // the '@' is in the path
        }
        String user = at > 0 ? text.substring(0, at) : null;
        if (at == 0) {
            return null;
        }
        String rest = text.substring(at + 1);
        String host;
        String afterHost;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = rest.substring(1, close);
            afterHost = rest.substring(close + 1);
        } else {
            int colon = rest.indexOf(':');
            if (colon < 0) {
                return null;
            }
            host = rest.substring(0, colon);
            afterHost = rest.substring(colon);
        }
        if (host.isEmpty() || host.startsWith("-") || !afterHost.startsWith(":")
                || !host.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '/' && c != '@')) {
            return null;
        }
        String path = afterHost.substring(1);
        int colon = path.indexOf(':');
        if (colon > 0 && path.substring(0, colon).chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null; // a QUIC port: the direct form
        }
        if (path.isEmpty()) {
            return null;
        }
        if (path.startsWith("/")) {
            path = path.substring(1); // relative to the user's root
        }
        RemotePath.validate(path);
        return new SshTarget(user, host, path);
    }

    /** The last segment of the path: the default local file name. */
    String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** {@code user@host} or {@code host}, as ssh takes it. */
    String destination() {
        return user == null ? host : user + "@" + host;
    }
}

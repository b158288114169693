package org.mpft.api;

/**
 * A refusal by the host: authentication failed, access denied, no such file, invalid path. The message
 * is safe to show to the user (it never contains a password or a path outside the user's root).
 */
public abstract sealed class HostException extends Exception
        permits AuthenticationFailed, AccessDenied, NoSuchFile, InvalidPath {

    private static final long serialVersionUID = 1L;

    /** @param message what was refused and why, safe to show to the user */
    protected HostException(String message) {
        super(message);
    }
}

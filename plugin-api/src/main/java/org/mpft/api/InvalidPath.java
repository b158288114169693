package org.mpft.api;

/** The path is malformed or resolves outside the user's root. */
public final class InvalidPath extends HostException {

    private static final long serialVersionUID = 1L;

    /** @param message what was refused and why, safe to show to the user */
    public InvalidPath(String message) {
        super(message);
    }
}

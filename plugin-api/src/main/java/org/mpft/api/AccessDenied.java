package org.mpft.api;

/** The host's access rules do not allow the user this operation on this path. */
public final class AccessDenied extends HostException {

    private static final long serialVersionUID = 1L;

    /** @param message what was refused and why, safe to show to the user */
    public AccessDenied(String message) {
        super(message);
    }
}

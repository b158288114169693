package org.mpft.api;

/** There is no regular file at the path. */
public final class NoSuchFile extends HostException {

    private static final long serialVersionUID = 1L;

    /** @param message what was refused and why, safe to show to the user */
    public NoSuchFile(String message) {
        super(message);
    }
}

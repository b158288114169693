package org.mpft.api;

/** The host did not accept the credentials (unknown user or wrong password or key). */
public final class AuthenticationFailed extends HostException {

    private static final long serialVersionUID = 1L;

    /** @param message what was refused and why, safe to show to the user */
    public AuthenticationFailed(String message) {
        super(message);
    }
}

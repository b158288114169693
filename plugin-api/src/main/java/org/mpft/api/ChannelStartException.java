package org.mpft.api;

/** A {@link TransferChannel} could not start; the message names the cause (a setting, a port, a file). */
public final class ChannelStartException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message the cause, naming the setting, port or file concerned */
    public ChannelStartException(String message) {
        super(message);
    }

    /**
     * @param message the cause, naming the setting, port or file concerned
     * @param cause   the underlying failure
     */
    public ChannelStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

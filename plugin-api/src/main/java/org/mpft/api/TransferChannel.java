package org.mpft.api;

import org.pf4j.ExtensionPoint;

/**
 * A network channel that a plugin adds to a host (for mpft: the QUIC multi-path download channel).
 *
 * <p>The host calls {@link #start(HostContext)} once after loading the plugin and {@link #stop()} once
 * before unloading it. A channel that cannot start (a malformed setting, a port in use) throws
 * {@link ChannelStartException} with a message naming the cause; the host logs it and keeps its own
 * service running.
 */
public interface TransferChannel extends ExtensionPoint {

    /** A short name for log lines, e.g. {@code "mpft"}. */
    String name();

    /**
     * Starts the channel: reads the configuration, binds its listeners and returns.
     *
     * @param context what the host offers: authentication, file access, a data folder, configuration
     * @throws ChannelStartException when the channel cannot start; the message names the cause
     */
    void start(HostContext context) throws ChannelStartException;

    /** Stops the channel and releases every resource it holds. Idempotent. */
    void stop();
}

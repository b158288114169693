package org.mpft.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    /**
     * Checks a configuration the way {@link #start(HostContext)} would use it, without binding a port and
     * without creating or changing a file (a host's {@code check-config} calls it; the channel is never
     * started). The default finds nothing to check.
     *
     * @param configuration the channel's settings, as {@link HostContext#configuration()} would hold them
     * @param dataFolder    the data folder the host would give the channel; it may not exist yet
     * @return every problem, one line each naming the setting and the file; empty when the channel would start
     */
    default List<String> checkConfiguration(Map<String, String> configuration, Path dataFolder) {
        return List.of();
    }

    /** Stops the channel and releases every resource it holds. Idempotent. */
    void stop();
}

package org.mpft.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a host gives a {@link TransferChannel}: its authenticator, its file access with its own access
 * rules, a private data folder and the channel's configuration.
 *
 * @param authenticator the host's user store (passwords, SSH public keys)
 * @param fileAccess    the host's file access with the host's own access rules
 * @param dataFolder    a folder that belongs to this plugin alone (its TLS key, its secrets, its state);
 *                      it exists and is writable when the context is handed over
 * @param configuration the plugin's settings, as read by the host from {@code plugin.properties} in its
 *                      plugins folder; unmodifiable
 */
public record HostContext(Authenticator authenticator, FileAccess fileAccess, Path dataFolder,
                          Map<String, String> configuration) {

    /** Checks that no component is null and freezes the configuration. */
    public HostContext {
        java.util.Objects.requireNonNull(authenticator, "authenticator");
        java.util.Objects.requireNonNull(fileAccess, "fileAccess");
        java.util.Objects.requireNonNull(dataFolder, "dataFolder");
        configuration = Map.copyOf(java.util.Objects.requireNonNull(configuration, "configuration"));
    }
}

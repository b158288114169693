package org.mpft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.common.util.io.PathUtils;

/**
 * What an OpenSSH client configuration ({@code ~/.ssh/config} or {@code -F FILE}) says about a host as typed:
 * its {@code HostName}, {@code User} and {@code IdentityFile}s, with {@code Host} patterns, first-value-wins
 * and {@code ~}/{@code %d}/{@code %h}/{@code %r} expansion as ssh does them (sshd-common's
 * {@link HostConfigEntry} parses and merges the entries). {@code ~} is the home folder mpft uses
 * ({@code $HOME}), not the password database's. {@code Port} is not taken: it is the host's SSH port, while a
 * direct login's port is the QUIC port of the target.
 *
 * @param hostName      the host to connect to ({@code HostName}, else the host as typed)
 * @param user          the {@code User}, else the local user name ({@code user.name}), as ssh defaults it
 * @param identityFiles the {@code IdentityFile}s, in order; empty when none
 */
record SshHostConfig(String hostName, String user, List<Path> identityFiles) {

    /** The local user name, the user when neither the target nor the configuration names one. */
    static final String LOCAL_USER = System.getProperty("user.name");

    /**
     * Resolves {@code host} in {@code file}.
     *
     * @param required true when the user named the file ({@code -F}): then a missing file is an error
     * @throws IOException when the file cannot be read or parsed (the message names it)
     */
    static SshHostConfig resolve(Path file, boolean required, String host, Path home) throws IOException {
        if (!Files.exists(file)) {
            if (required) {
                throw new IOException("the ssh configuration " + file + " does not exist");
            }
            return new SshHostConfig(host, LOCAL_USER, List.of());
        }
        HostConfigEntry entry;
        synchronized (SshHostConfig.class) {
            // sshd-common expands ~ and %d from its own home folder setting: point it at mpft's home
            PathUtils.setUserHomeFolderResolver(() -> home);
            try {
                entry = HostConfigEntry.toHostConfigEntryResolver(HostConfigEntry.readHostConfigEntries(file))
                        .resolveEffectiveHost(host, 0, null, null, null, null);
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read the ssh configuration " + file + ": " + e.getMessage(), e);
            }
        }
        if (entry == null) {
            return new SshHostConfig(host, LOCAL_USER, List.of());
        }
        String user = entry.getProperty(HostConfigEntry.USER_CONFIG_PROP);
        String hostName = entry.getHostName();
        return new SshHostConfig(hostName == null || hostName.isBlank() ? host : hostName,
                user == null || user.isBlank() ? LOCAL_USER : user,
                entry.getIdentities() == null ? List.of() : entry.getIdentities().stream().map(Path::of).toList());
    }
}

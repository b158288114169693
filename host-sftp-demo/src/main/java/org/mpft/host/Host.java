package org.mpft.host;

import org.mpft.sshd.ChannelLoader;
import org.mpft.sshd.OfferCommandFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Objects;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running host: the SFTP server and the plugins' channels, over one user store and one path policy.
 * {@link #start} starts SFTP first and then the channels; {@link #close} stops them in reverse.
 */
final class Host implements AutoCloseable {

    /** The text of the line printed once everything has started. */
    static final String READY = "mpft-host ready";

    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    private final HostSettings settings;
    private final SshServer sshd;
    private final ChannelLoader plugins;
    private boolean closed;

    private Host(HostSettings settings, SshServer sshd, ChannelLoader plugins) {
        this.settings = settings;
        this.sshd = sshd;
        this.plugins = plugins;
    }

    /**
     * Prepares the folders, starts SFTP, then loads and starts the plugins' channels.
     *
     * @throws SettingsException when a folder, the users file or the SFTP address is unusable
     * @throws IOException       when the server cannot start for another reason
     */
    static Host start(HostSettings settings) throws SettingsException, IOException {
        Objects.requireNonNull(settings, "settings");
        settings.prepareFolders();
        UserStore users;
        try {
            users = UserStore.open(settings.usersFile());
        } catch (IOException e) {
            throw new SettingsException(HostSettings.USERS_FILE, "cannot use users file: " + e.getMessage());
        }
        HomeResolver resolver = new HomeResolver(settings.dataDir(), settings.allowHardLinks());
        HostAuthenticator authenticator = new HostAuthenticator(users);
        // the channels start after SSH: the exec command asks for their offers at each request
        java.util.concurrent.atomic.AtomicReference<ChannelLoader> loaded = new java.util.concurrent.atomic.AtomicReference<>();
        SshServer sshd = SftpServerFactory.create(settings, users, resolver, new OfferCommandFactory(
                () -> loaded.get() == null ? java.util.List.of() : loaded.get().sessionOffers(), authenticator));
        try {
            // load (or generate) the host key now, so a bad key file fails the start, not the first login
            sshd.getKeyPairProvider().loadKeys(null).iterator().next();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new SettingsException(HostSettings.HOST_KEY, "cannot load or create the SSH host key "
                    + settings.hostKey() + ": " + ChannelLoader.describe(e));
        }
        try {
            sshd.start();
        } catch (IOException e) {
            throw new SettingsException(HostSettings.SFTP_PORT, "cannot listen on " + settings.sftpBind() + ":"
                    + settings.sftpPort() + ": " + e.getMessage());
        }
        LOG.info("SFTP listening on {}:{}, {} user(s), homes in {}", settings.sftpBind(), sshd.getPort(),
                users.all().size(), settings.dataDir());
        ChannelLoader plugins = new ChannelLoader(settings.pluginsDir(), settings::pluginDataDir,
                authenticator, new HostFileAccess(users, resolver), java.util.Map.of());
        loaded.set(plugins);
        Host host = new Host(settings, sshd, plugins);
        try {
            plugins.start();
        } catch (RuntimeException | Error e) {
            host.close();
            throw e;
        }
        return host;
    }

    /** The TCP port SFTP listens on (the real one when {@code sftp.port} is 0). */
    int sftpPort() {
        return sshd.getPort();
    }

    /** The ready line: {@code mpft-host ready sftp=<bind>:<port>}. */
    String readyLine() {
        String bind = settings.sftpBind();
        return READY + " sftp=" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + sftpPort();
    }

    /** Stops the channels, then SFTP. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        plugins.close();
        try {
            sshd.stop(true);
        } catch (IOException e) {
            LOG.warn("stopping SFTP: {}", e.toString());
        }
        LOG.info("mpft-host stopped");
    }
}

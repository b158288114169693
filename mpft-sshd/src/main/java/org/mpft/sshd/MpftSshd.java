package org.mpft.sshd;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;

/**
 * Transfer-channel plugins (mpft) inside an Apache MINA SSHD server: loads the jar plugins of a
 * {@code plugins/} folder with PF4J and starts every {@code TransferChannel} with a {@code HostContext}
 * built on the server's own {@link PasswordAuthenticator}, {@link PublickeyAuthenticator} and
 * {@link FileSystemFactory}, so that its users, keys, roots, virtual folders and file-system rules apply
 * to the channel as they apply to SFTP.
 *
 * <pre>{@code
 * SshServer sshd = SshServer.setUpDefaultServer();
 * ... // the server's own setup: port, host key, authenticators, file system factory, SFTP subsystem
 * sshd.start();
 * MpftSshd mpft = MpftSshd.builder(sshd)
 *         .pluginsDir(Path.of("plugins"))       // plugin jars and plugin.properties
 *         .stateDir(Path.of("state"))           // the plugins' data: state/<pluginId>
 *         .knownUsers(users::containsKey)       // for channels that look users up (mpft secondaries)
 *         .start();
 * ...
 * mpft.close();                                 // before sshd.stop()
 * }</pre>
 *
 * <p>The server's authenticators and file system factory are read when {@link Builder#start()} (or
 * {@link Builder#authenticator()}, {@link Builder#fileAccess()}) is called: configure the server first.
 * See {@link SshdAuthenticator} and {@link SshdFileAccess} for exactly what the channel is told.
 */
public final class MpftSshd implements AutoCloseable {

    private final ChannelLoader loader;
    private final SshdAuthenticator authenticator;

    private MpftSshd(ChannelLoader loader, SshdAuthenticator authenticator) {
        this.loader = loader;
        this.authenticator = authenticator;
    }

    /**
     * The exec commands for the server ({@code server.setCommandFactory(mpft.offerCommands())}): the started
     * channels' session-offer commands (mpft: {@code ssh user@host mpft-offer}), run for the user the server has
     * authenticated, who must be one of {@link Builder#knownUsers}; every other exec request is refused. A server
     * that serves other commands keeps its own factory and leaves this one out.
     */
    public CommandFactory offerCommands() {
        return new OfferCommandFactory(loader::sessionOffers, authenticator);
    }

    /**
     * A builder over {@code server}'s own authenticators and file system factory.
     *
     * @param server the configured SSH server (started or not)
     * @return a builder with the defaults documented on its methods
     */
    public static Builder builder(SshServer server) {
        return new Builder(server);
    }

    /** The channels running, as {@code pluginId/channelName}, in start order. */
    public List<String> channels() {
        return loader.channels();
    }

    /** Stops the channels (last started first) and unloads the plugins. Idempotent; the server runs on. */
    @Override
    public void close() {
        loader.close();
    }

    /** Describes where the plugins are and how the server's parts are used; every setter returns this builder. */
    public static final class Builder {

        private final SshServer server;
        private Path pluginsDir = Path.of("plugins");
        private Path stateDir = Path.of("state");
        private Predicate<String> knownUsers = user -> false;
        private boolean allowHardLinks;
        private PasswordAuthenticator passwords;
        private PublickeyAuthenticator keys;
        private FileSystemFactory fileSystems;
        private final Map<String, String> pluginProperties = new TreeMap<>();

        private Builder(SshServer server) {
            this.server = Objects.requireNonNull(server, "server");
        }

        /**
         * The folder of plugin jars and of {@code plugin.properties}; default {@code plugins} (relative to the working folder).
         *
         * @param dir the folder
         * @return this builder
         */
        public Builder pluginsDir(Path dir) {
            this.pluginsDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * The folder of the plugins' data ({@code stateDir/<pluginId>}, created on start); default {@code state}.
         *
         * @param dir the folder
         * @return this builder
         */
        public Builder stateDir(Path dir) {
            this.stateDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Answers {@code Authenticator.lookup}: whether the server has a user of that name. MINA has no user
         * directory; default: no user is known, so a channel's credential-less lookups (an mpft secondary
         * serving a ticket of its primary) are refused.
         *
         * @param known whether a user name is the server's
         * @return this builder
         */
        public Builder knownUsers(Predicate<String> known) {
            this.knownUsers = Objects.requireNonNull(known, "known");
            return this;
        }

        /**
         * Serve regular files with more than one hard link; default {@code false}: such a file may be a
         * link to a file outside the user's root, and no path check can tell.
         *
         * @param allow whether to serve them
         * @return this builder
         */
        public Builder allowHardLinks(boolean allow) {
            this.allowHardLinks = allow;
            return this;
        }

        /**
         * Sets a key of the channels' configuration over the one in {@code plugin.properties} (for a setting
         * the server's own command line owns, such as the channel's port).
         *
         * @param key the setting's key
         * @param value its value
         * @return this builder
         */
        public Builder pluginProperty(String key, String value) {
            pluginProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Asks this password authenticator instead of the server's own; default: the server's.
         *
         * @param authenticator the authenticator, or null for the server's
         * @return this builder
         */
        public Builder passwordAuthenticator(PasswordAuthenticator authenticator) {
            this.passwords = authenticator;
            return this;
        }

        /**
         * Asks this public-key authenticator instead of the server's own; default: the server's.
         *
         * @param authenticator the authenticator, or null for the server's
         * @return this builder
         */
        public Builder publickeyAuthenticator(PublickeyAuthenticator authenticator) {
            this.keys = authenticator;
            return this;
        }

        /**
         * Opens files through this factory instead of the server's own; default: the server's.
         *
         * @param factory the factory, or null for the server's
         * @return this builder
         */
        public Builder fileSystemFactory(FileSystemFactory factory) {
            this.fileSystems = factory;
            return this;
        }

        /** The {@code Authenticator} the channels get: the server's authenticators as they are now. */
        public SshdAuthenticator authenticator() {
            return new SshdAuthenticator(server,
                    passwords != null ? passwords : server.getPasswordAuthenticator(),
                    keys != null ? keys : server.getPublickeyAuthenticator(), knownUsers);
        }

        /**
         * The {@code FileAccess} the channels get: the server's file system factory as it is now.
         *
         * @throws IllegalStateException when the server has no file system factory
         */
        public SshdFileAccess fileAccess() {
            FileSystemFactory factory = fileSystems != null ? fileSystems : server.getFileSystemFactory();
            if (factory == null) {
                throw new IllegalStateException("the SSH server has no FileSystemFactory: set one first");
            }
            return new SshdFileAccess(server, factory, allowHardLinks);
        }

        /**
         * Loads the plugins and starts their channels. A plugin or channel that fails is logged (one line
         * naming it and the cause) and left out; this method does not throw for it.
         *
         * @return the running channels, to close before the server stops
         * @throws IllegalStateException when the server has no file system factory
         */
        public MpftSshd start() {
            Path states = stateDir.toAbsolutePath();
            SshdAuthenticator users = authenticator();
            ChannelLoader loader = new ChannelLoader(pluginsDir.toAbsolutePath(), states::resolve,
                    users, fileAccess(), Map.copyOf(pluginProperties));
            loader.start();
            return new MpftSshd(loader, users);
        }
    }
}

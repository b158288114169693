package org.mpft.sshd;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mpft.api.Authenticator;
import org.mpft.api.ChannelStartException;
import org.mpft.api.FileAccess;
import org.mpft.api.HostContext;
import org.mpft.api.TransferChannel;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the jar plugins of a plugins folder with PF4J and starts every {@link TransferChannel} extension
 * with a {@link HostContext}: the plugin's data folder comes from the host ({@code dataDirs}, by plugin id),
 * its configuration is all keys of {@code pluginsDir/plugin.properties}, with the host's own overrides over
 * them, the same map for every channel. A plugin or channel that fails is logged in one line naming it and
 * the cause; the others, and the host's own protocol, carry on. {@link MpftSshd} uses it, and so can any
 * other host that loads transfer-channel plugins. Thread-safe.
 */
public final class ChannelLoader implements AutoCloseable {

    /** The file in the plugins folder whose keys configure the channels. */
    public static final String CONFIG_FILE = "plugin.properties";

    private static final Logger LOG = LoggerFactory.getLogger(ChannelLoader.class);

    private final Path pluginsDir;
    private final Function<String, Path> dataDirs;
    private final Authenticator authenticator;
    private final FileAccess fileAccess;
    private final Map<String, String> overrides;
    private final List<Started> started = Collections.synchronizedList(new ArrayList<>());
    private PluginManager manager;

    /** A started channel and the plugin it came from. */
    private record Started(String pluginId, TransferChannel channel) {
    }

    /**
     * @param pluginsDir    where the plugin jars and {@value #CONFIG_FILE} are
     * @param dataDirs      the data folder of a plugin, by plugin id (created on start)
     * @param authenticator the host's authenticator
     * @param fileAccess    the host's file access
     * @param overrides     keys that win over {@value #CONFIG_FILE}'s (empty for none)
     */
    public ChannelLoader(Path pluginsDir, Function<String, Path> dataDirs, Authenticator authenticator,
                         FileAccess fileAccess, Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
        this.pluginsDir = Objects.requireNonNull(pluginsDir, "pluginsDir");
        this.dataDirs = Objects.requireNonNull(dataDirs, "dataDirs");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.fileAccess = Objects.requireNonNull(fileAccess, "fileAccess");
    }

    /** Loads and starts everything it can; never throws for a plugin's failure. */
    public synchronized void start() {
        Map<String, String> config;
        try {
            Map<String, String> merged = new TreeMap<>(readConfig(pluginsDir.resolve(CONFIG_FILE)));
            merged.putAll(overrides);
            config = Collections.unmodifiableMap(merged);
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("plugins not started: cannot read {}: {}", pluginsDir.resolve(CONFIG_FILE), describe(e));
            return;
        }
        manager = new JarPluginManager(pluginsDir);
        for (Path jar : pluginJars(pluginsDir, LOG::error)) {
            String pluginId;
            try {
                pluginId = manager.loadPlugin(jar);
            } catch (RuntimeException | LinkageError e) {
                LOG.error("plugin {} not loaded: {}", jar.getFileName(), describe(e));
                continue;
            }
            if (pluginId != null) {
                startPlugin(pluginId, jar, config);
            }
        }
        if (started.isEmpty()) {
            LOG.info("no transfer channel started (plugins folder {})", pluginsDir);
        }
    }

    /** The channels running, as {@code pluginId/channelName}. */
    public List<String> channels() {
        synchronized (started) {
            return started.stream().map(s -> s.pluginId() + "/" + safeName(s.channel())).toList();
        }
    }

    /**
     * The running channels that offer a session command to users the host has authenticated (those that
     * implement {@link org.mpft.api.SessionOffers}), in start order.
     */
    public List<org.mpft.api.SessionOffers> sessionOffers() {
        synchronized (started) {
            return started.stream().map(Started::channel).filter(org.mpft.api.SessionOffers.class::isInstance)
                    .map(org.mpft.api.SessionOffers.class::cast).toList();
        }
    }

    private void startPlugin(String pluginId, Path jar, Map<String, String> config) {
        PluginWrapper plugin = manager.getPlugin(pluginId);
        String label = "plugin '" + pluginId + "' " + plugin.getDescriptor().getVersion() + " (" + jar.getFileName() + ")";
        List<TransferChannel> channels;
        try {
            PluginState state = manager.startPlugin(pluginId);
            if (state != PluginState.STARTED) {
                Throwable cause = plugin.getFailedException();
                LOG.error("{} not started: {}", label, cause == null ? "state " + state : describe(cause));
                return;
            }
            channels = manager.getExtensions(TransferChannel.class, pluginId);
        } catch (RuntimeException | LinkageError e) {
            LOG.error("{} not started: {}", label, describe(e));
            return;
        }
        if (channels.isEmpty()) {
            LOG.warn("{} has no TransferChannel extension", label);
        }
        for (TransferChannel channel : channels) {
            String name = channel.getClass().getName();
            try {
                name = channel.name();
                Path dataDir = Files.createDirectories(dataDirs.apply(pluginId));
                channel.start(new HostContext(authenticator, fileAccess, dataDir, config));
                started.add(new Started(pluginId, channel));
                LOG.info("{}: channel '{}' started", label, name);
            } catch (ChannelStartException | IOException | RuntimeException | LinkageError e) {
                LOG.error("{}: channel '{}' failed to start: {}", label, name, describe(e));
                stopQuietly(pluginId, channel);
            }
        }
    }

    /** Stops the channels (last started first), then the plugins. Idempotent. */
    @Override
    public synchronized void close() {
        List<Started> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        Collections.reverse(toStop);
        for (Started s : toStop) {
            stopQuietly(s.pluginId(), s.channel());
            LOG.info("plugin '{}': channel '{}' stopped", s.pluginId(), safeName(s.channel()));
        }
        if (manager != null) {
            try {
                manager.stopPlugins();
                manager.unloadPlugins();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("stopping plugins: {}", describe(e));
            }
            manager = null;
        }
    }

    private static void stopQuietly(String pluginId, TransferChannel channel) {
        try {
            channel.stop();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("plugin '{}': channel '{}' failed to stop: {}", pluginId, safeName(channel), describe(e));
        }
    }

    private static String safeName(TransferChannel channel) {
        try {
            return channel.name();
        } catch (RuntimeException | LinkageError e) {
            return channel.getClass().getName();
        }
    }

    /**
     * The plugin jars of a plugins folder (regular files named {@code *.jar}), sorted by name; a folder that
     * cannot be listed is told to {@code problem} and gives none.
     */
    static List<Path> pluginJars(Path pluginsDir, Consumer<String> problem) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(pluginsDir, "*.jar")) {
            dir.forEach(p -> {
                if (Files.isRegularFile(p)) {
                    jars.add(p);
                }
            });
        } catch (IOException e) {
            problem.accept("cannot list plugins folder " + pluginsDir + ": " + describe(e));
        }
        Collections.sort(jars);
        return jars;
    }

    /**
     * All keys of a channels' configuration file; empty when there is none.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when it is not a valid properties file
     */
    public static Map<String, String> readConfig(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        Map<String, String> config = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k)));
        return Collections.unmodifiableMap(config);
    }

    /** One line for a log or an error message: the failure and its root cause, without stack trace. */
    public static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(oneLine(e));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            out.append(" (cause: ").append(oneLine(root)).append(')');
        }
        return out.toString();
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        String text = message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}

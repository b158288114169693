package org.mpft.sshd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.mpft.api.TransferChannel;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;

/**
 * A host's {@code check-config} for its channels: loads every plugin jar of a plugins folder with PF4J, as
 * {@link ChannelLoader} does, and asks each {@link TransferChannel} to
 * {@linkplain TransferChannel#checkConfiguration check} a configuration, without starting any channel.
 */
public final class ChannelConfigCheck {

    /**
     * What was checked and what was found.
     *
     * @param channels the channels asked, as {@code pluginId/channelName}
     * @param problems every problem, each prefixed with its plugin and channel
     */
    public record Result(List<String> channels, List<String> problems) {
        /** Freezes the lists. */
        public Result {
            channels = List.copyOf(channels);
            problems = List.copyOf(problems);
        }
    }

    private ChannelConfigCheck() {
    }

    /**
     * Checks {@code configuration} with every channel of the plugins in {@code pluginsDir}.
     *
     * @param pluginsDir    where the plugin jars are
     * @param dataDirs      the data folder the host would give a plugin, by plugin id (not created)
     * @param configuration the channels' settings (e.g. {@value ChannelLoader#CONFIG_FILE}'s)
     */
    public static Result check(Path pluginsDir, Function<String, Path> dataDirs, Map<String, String> configuration) {
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        Objects.requireNonNull(dataDirs, "dataDirs");
        Objects.requireNonNull(configuration, "configuration");
        List<String> channels = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        PluginManager manager = new JarPluginManager(pluginsDir);
        try {
            for (Path jar : ChannelLoader.pluginJars(pluginsDir, problems::add)) {
                String pluginId;
                try {
                    pluginId = manager.loadPlugin(jar);
                    if (pluginId == null || manager.startPlugin(pluginId) != PluginState.STARTED) {
                        problems.add("plugin " + jar.getFileName() + ": cannot be loaded");
                        continue;
                    }
                } catch (RuntimeException | LinkageError e) {
                    problems.add("plugin " + jar.getFileName() + ": cannot be loaded: " + ChannelLoader.describe(e));
                    continue;
                }
                for (TransferChannel channel : manager.getExtensions(TransferChannel.class, pluginId)) {
                    String label = "plugin '" + pluginId + "' (" + jar.getFileName() + ")";
                    try {
                        label = label + " channel '" + channel.name() + "'";
                        channels.add(pluginId + "/" + channel.name());
                        for (String problem : channel.checkConfiguration(configuration, dataDirs.apply(pluginId))) {
                            problems.add(label + ": " + problem);
                        }
                    } catch (RuntimeException | LinkageError e) {
                        problems.add(label + ": check failed: " + ChannelLoader.describe(e));
                    }
                }
            }
        } finally {
            try {
                manager.stopPlugins();
                manager.unloadPlugins();
            } catch (RuntimeException | LinkageError e) {
                // the check is over; a plugin that does not unload cleanly changes nothing on disk
            }
        }
        return new Result(channels, problems);
    }
}

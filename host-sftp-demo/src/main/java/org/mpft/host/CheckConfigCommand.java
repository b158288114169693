package org.mpft.host;

import org.mpft.sshd.ChannelConfigCheck;
import org.mpft.sshd.ChannelLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mpft-host check-config --config FILE [--plugin-properties FILE]}: checks a host configuration the way
 * a start would use it, without starting anything and without creating or changing a file: every key's value
 * ({@link HostSettings}' own parser), the users file (readable, well-formed), the SSH host key (a key the
 * host can load; a copy is loaded, never the file itself), the folders (usable, or creatable where the
 * host creates them) and the plugins folder (listable, its jars and {@code plugin.properties} readable). The
 * plugins' own settings ({@code plugin.properties} in the plugins folder, or the file given with
 * {@code --plugin-properties}) are checked by each plugin's channels ({@link ChannelConfigCheck}): loaded with
 * PF4J, never started, so no listener is bound.
 *
 * <p>Every problem is printed on standard error, one line each, naming the key and the file; exit code 0
 * when there is none, {@link HostMain#EXIT_CONFIG} otherwise. On success one line goes to standard output.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check the host's configuration (keys, users file, host key, folders) and the plugins'"
                + " settings (keys, TLS files, cluster secret) without starting anything.")
final class CheckConfigCommand implements Callable<Integer> {

    /** A value that parses for a key whose own value was reported bad, so the other keys can be checked. */
    private static final String PLACEHOLDER = ".";

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the host's config file")
    Path config;

    @Option(names = "--plugin-properties", paramLabel = "FILE",
            description = "the plugins' settings to check (default: plugin.properties in the plugins folder)")
    Path pluginProperties;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<String> problems = check(config, pluginProperties);
        PrintWriter err = spec.commandLine().getErr();
        for (String problem : problems) {
            err.println("mpft-host: config " + config + ": " + problem);
        }
        err.flush();
        if (!problems.isEmpty()) {
            return HostMain.EXIT_CONFIG;
        }
        spec.commandLine().getOut().println("mpft-host: config " + config + " is valid");
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * Every problem of a config file, each naming its key (or the file), in the order of the checks.
     *
     * @param configFile the host's config file
     * @return the problems; empty when the host would start with this configuration
     */
    static List<String> check(Path configFile) {
        return check(configFile, null);
    }

    /**
     * Every problem of a config file and of the plugins' settings, each naming its key (or the file).
     *
     * @param configFile       the host's config file
     * @param pluginProperties the plugins' settings to check instead of the plugins folder's
     *                         {@code plugin.properties}; null for that one
     * @return the problems; empty when the host and its channels would start with this configuration
     */
    static List<String> check(Path configFile, Path pluginProperties) {
        Path file = configFile.toAbsolutePath().normalize();
        Map<String, String> values = new LinkedHashMap<>();
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return List.of(Files.exists(file) ? "cannot read config file " + file + ": " + e : "no such config file: " + file);
        }
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k).trim()));

        List<String> problems = new ArrayList<>();
        List<String> badKeys = new ArrayList<>();
        HostSettings settings = parseAll(file, values, problems, badKeys);
        if (settings == null) {
            return problems;
        }
        if (!badKeys.contains(HostSettings.DATA_DIR)) {
            folder(HostSettings.DATA_DIR, settings.dataDir(), problems);
        }
        if (!badKeys.contains(HostSettings.STATE_DIR)) {
            folder(HostSettings.STATE_DIR, settings.stateDir(), problems);
        }
        if (!badKeys.contains(HostSettings.USERS_FILE)) {
            usersFile(settings, problems);
        }
        if (!badKeys.contains(HostSettings.HOST_KEY)) {
            hostKey(settings.hostKey(), problems);
        }
        if (!badKeys.contains(HostSettings.PLUGINS_DIR)) {
            plugins(settings, pluginProperties, problems);
        } else if (pluginProperties != null) {
            problems.add("plugin properties " + pluginProperties + ": not checked, the plugins folder is unusable");
        }
        return problems;
    }

    /**
     * Parses with {@link HostSettings#parse}, which stops at the first bad key: each key reported is noted
     * and set aside (an unknown key dropped, a bad value replaced by a placeholder) and the rest parsed again.
     */
    private static HostSettings parseAll(Path file, Map<String, String> values, List<String> problems,
                                         List<String> badKeys) {
        Map<String, String> rest = new LinkedHashMap<>(values);
        while (true) {
            try {
                return HostSettings.parse(file, rest);
            } catch (SettingsException e) {
                String key = e.key();
                if (key == null || badKeys.contains(key)) {
                    problems.add(e.getMessage());
                    return null;
                }
                if (e.getMessage().contains("unknown key")) {
                    // one message names every unknown key: report it once and drop them all
                    problems.add(e.getMessage());
                    rest.keySet().removeIf(k -> !isKnown(file, k));
                    badKeys.add(key);
                    continue;
                }
                problems.add(e.getMessage());
                badKeys.add(key);
                rest.put(key, placeholder(key));
            }
        }
    }

    /** Whether {@code key} alone parses as known (the parser's own list of keys decides). */
    private static boolean isKnown(Path file, String key) {
        try {
            HostSettings.parse(file, Map.of(key, placeholder(key)));
            return true;
        } catch (SettingsException e) {
            return !e.getMessage().contains("unknown key");
        }
    }

    private static String placeholder(String key) {
        return switch (key) {
            case HostSettings.SFTP_PORT -> "0";
            case HostSettings.SFTP_BIND -> "127.0.0.1";
            case HostSettings.FILES_ALLOW_HARD_LINKS -> "false";
            default -> PLACEHOLDER;
        };
    }

    /** A folder the host creates when missing: an existing one must be a writable folder, else its parent must be. */
    private static void folder(String key, Path dir, List<String> problems) {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                problems.add("key '" + key + "': not a folder: " + dir);
            } else if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
                problems.add("key '" + key + "': folder not readable and writable: " + dir);
            }
            return;
        }
        Path parent = existingAncestor(dir);
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            problems.add("key '" + key + "': folder missing and cannot be created: " + dir);
        }
    }

    private static Path existingAncestor(Path path) {
        Path p = path.getParent();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    private static void usersFile(HostSettings settings, List<String> problems) {
        Path file = settings.usersFile();
        String key = "key '" + HostSettings.USERS_FILE + "': ";
        if (!Files.isRegularFile(file)) {
            problems.add(key + "no such file: " + file + " (create it with: mpft-host user add --config "
                    + settings.configFile() + " ...)");
        } else if (!Files.isReadable(file)) {
            problems.add(key + "not readable: " + file);
        } else {
            try {
                Map<String, UserAccount> users = UsersFile.read(file);
                for (UserAccount user : users.values()) {
                    Path keys = user.authorizedKeys();
                    if (keys != null && (!Files.isRegularFile(keys) || !Files.isReadable(keys))) {
                        problems.add(key + "user " + user.name() + ": authorized keys file not readable: " + keys);
                    }
                }
            } catch (IOException | RuntimeException e) {
                problems.add(key + "cannot use " + file + ": " + e.getMessage());
            }
        }
    }

    /**
     * An existing host key must load as the host loads it; a missing one must be creatable. The key is
     * loaded from a copy: the provider would replace a file it cannot read with a new key.
     */
    private static void hostKey(Path keyFile, List<String> problems) {
        String key = "key '" + HostSettings.HOST_KEY + "': ";
        if (!Files.exists(keyFile)) {
            Path parent = existingAncestor(keyFile);
            if (parent == null || !Files.isWritable(parent)) {
                problems.add(key + "missing and cannot be created: " + keyFile);
            }
            return;
        }
        if (!Files.isRegularFile(keyFile) || !Files.isReadable(keyFile)) {
            problems.add(key + "not a readable file: " + keyFile);
            return;
        }
        Path copy = null;
        try {
            copy = Files.createTempFile("mpft-host-key-check", ".key");
            Files.copy(keyFile, copy, StandardCopyOption.REPLACE_EXISTING);
            byte[] before = Files.readAllBytes(copy);
            SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(copy);
            provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
            provider.setKeySize(256);
            provider.loadKeys(null).iterator().next();
            if (!Arrays.equals(before, Files.readAllBytes(copy))) {
                problems.add(key + "not an SSH host key the host can load (it would be replaced): " + keyFile);
            }
        } catch (IOException | RuntimeException e) {
            problems.add(key + "cannot load the SSH host key " + keyFile + ": " + ChannelLoader.describe(e));
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    // a temporary copy left behind is harmless
                }
            }
        }
    }

    private static void plugins(HostSettings settings, Path pluginProperties, List<String> problems) {
        Path dir = settings.pluginsDir();
        String key = "key '" + HostSettings.PLUGINS_DIR + "': ";
        folder(HostSettings.PLUGINS_DIR, dir, problems);
        if (pluginProperties != null && !Files.isRegularFile(pluginProperties)) {
            problems.add("plugin properties: no such file: " + pluginProperties.toAbsolutePath().normalize());
            return;
        }
        if (!Files.isDirectory(dir)) {
            if (pluginProperties != null) {
                problems.add("plugin properties " + pluginProperties.toAbsolutePath().normalize()
                        + ": no plugin channel in " + dir + " to check them (no such folder)");
            }
            return;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
                    problems.add(key + "plugin jar not readable: " + jar);
                }
            }
        } catch (IOException e) {
            problems.add(key + "cannot list " + dir + ": " + e);
        }
        Path pluginConfig = pluginProperties != null ? pluginProperties.toAbsolutePath().normalize()
                : dir.resolve(ChannelLoader.CONFIG_FILE);
        Map<String, String> channelSettings;
        try {
            channelSettings = ChannelLoader.readConfig(pluginConfig);
        } catch (IOException | IllegalArgumentException e) {
            problems.add(key + "cannot read " + pluginConfig + ": " + e);
            return;
        }
        ChannelConfigCheck.Result result = ChannelConfigCheck.check(dir, settings::pluginDataDir, channelSettings);
        for (String problem : result.problems()) {
            problems.add("plugin properties " + pluginConfig + ": " + problem);
        }
        if (pluginProperties != null && result.channels().isEmpty()) {
            problems.add("plugin properties " + pluginConfig + ": no plugin channel in " + dir + " to check them");
        }
    }
}

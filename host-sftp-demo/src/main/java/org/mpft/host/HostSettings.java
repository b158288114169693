package org.mpft.host;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host's configuration: one typed value per key of the config file (Java properties), parsed and
 * validated once. Relative paths are relative to the config file's folder.
 *
 * <table>
 * <caption>keys</caption>
 * <tr><td>{@code sftp.bind}</td><td>address the SFTP server binds; default {@code 127.0.0.1}</td></tr>
 * <tr><td>{@code sftp.port}</td><td>TCP port, 0 = ephemeral; default {@code 2222}</td></tr>
 * <tr><td>{@code data.dir}</td><td>required; users' homes are {@code data.dir/<user>}; may be shared by
 *     several hosts</td></tr>
 * <tr><td>{@code users.file}</td><td>required; the users file (see {@code UsersFile})</td></tr>
 * <tr><td>{@code plugins.dir}</td><td>plugin jars and {@code plugin.properties}; default {@code plugins}</td></tr>
 * <tr><td>{@code host.key}</td><td>SSH host key, generated if missing; default {@code host.key}</td></tr>
 * <tr><td>{@code state.dir}</td><td>this instance's own state, plugins' data under
 *     {@code state.dir/plugins/<pluginId>}; default {@code state}</td></tr>
 * <tr><td>{@code files.allow-hard-links}</td><td>{@code true} serves (and lets users change) regular files
 *     with more than one hard link; default {@code false}: such a file could be a link to a file outside the
 *     home, so SFTP and the plugins refuse it (permission denied / ACCESS_DENIED)</td></tr>
 * </table>
 */
record HostSettings(Path configFile, String sftpBind, int sftpPort, Path dataDir, Path usersFile,
                    Path pluginsDir, Path hostKey, Path stateDir, boolean allowHardLinks) {

    static final String SFTP_BIND = "sftp.bind";
    static final String SFTP_PORT = "sftp.port";
    static final String DATA_DIR = "data.dir";
    static final String USERS_FILE = "users.file";
    static final String PLUGINS_DIR = "plugins.dir";
    static final String HOST_KEY = "host.key";
    static final String STATE_DIR = "state.dir";
    static final String FILES_ALLOW_HARD_LINKS = "files.allow-hard-links";

    static final String DEFAULT_SFTP_BIND = "127.0.0.1";
    static final int DEFAULT_SFTP_PORT = 2222;
    static final String DEFAULT_PLUGINS_DIR = "plugins";
    static final String DEFAULT_HOST_KEY = "host.key";
    static final String DEFAULT_STATE_DIR = "state";

    private static final Set<String> KEYS =
            Set.of(SFTP_BIND, SFTP_PORT, DATA_DIR, USERS_FILE, PLUGINS_DIR, HOST_KEY, STATE_DIR,
                    FILES_ALLOW_HARD_LINKS);

    /**
     * Reads and validates a config file. Checks values only; {@link #prepareFolders()} creates folders.
     *
     * @throws SettingsException naming the first bad key (or the file, when it cannot be read)
     */
    static HostSettings load(Path configFile) throws SettingsException {
        Path file = configFile.toAbsolutePath().normalize();
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SettingsException(null, "no such config file: " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new SettingsException(null, "cannot read config file " + file + ": " + e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k).trim()));
        return parse(file, values);
    }

    /** Validates key/value pairs as if read from {@code configFile}. */
    static HostSettings parse(Path configFile, Map<String, String> values) throws SettingsException {
        TreeSet<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new SettingsException(first, "unknown key" + (unknown.size() > 1 ? " (also unknown: "
                    + String.join(", ", unknown.tailSet(first, false)) + ")" : "")
                    + "; known keys: " + String.join(", ", new TreeSet<>(KEYS)));
        }
        Path base = configFile.toAbsolutePath().getParent();
        String bind = optional(values, SFTP_BIND, DEFAULT_SFTP_BIND);
        try {
            InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new SettingsException(SFTP_BIND, "not an address or known host name: '" + bind + "'");
        }
        int port = port(optional(values, SFTP_PORT, Integer.toString(DEFAULT_SFTP_PORT)));
        Path dataDir = path(base, DATA_DIR, required(values, DATA_DIR));
        Path usersFile = path(base, USERS_FILE, required(values, USERS_FILE));
        Path pluginsDir = path(base, PLUGINS_DIR, optional(values, PLUGINS_DIR, DEFAULT_PLUGINS_DIR));
        Path hostKey = path(base, HOST_KEY, optional(values, HOST_KEY, DEFAULT_HOST_KEY));
        Path stateDir = path(base, STATE_DIR, optional(values, STATE_DIR, DEFAULT_STATE_DIR));
        boolean allowHardLinks = bool(FILES_ALLOW_HARD_LINKS, optional(values, FILES_ALLOW_HARD_LINKS, "false"));
        return new HostSettings(configFile, bind, port, dataDir, usersFile, pluginsDir, hostKey, stateDir,
                allowHardLinks);
    }

    /**
     * Creates the folders the server needs and checks the users file, as the server's start requires.
     *
     * @throws SettingsException naming the key whose folder or file is unusable
     */
    void prepareFolders() throws SettingsException {
        folder(DATA_DIR, dataDir);
        folder(PLUGINS_DIR, pluginsDir);
        folder(STATE_DIR, stateDir);
        folder(HOST_KEY, hostKey.getParent());
        if (Files.isDirectory(hostKey)) {
            throw new SettingsException(HOST_KEY, "is a folder: " + hostKey);
        }
        if (!Files.isRegularFile(usersFile)) {
            throw new SettingsException(USERS_FILE, "no such file: " + usersFile
                    + " (create it with: mpft-host user add --config " + configFile + " ...)");
        }
        if (!Files.isReadable(usersFile)) {
            throw new SettingsException(USERS_FILE, "not readable: " + usersFile);
        }
    }

    /** The data folder handed to plugin {@code pluginId}: {@code state.dir/plugins/<pluginId>}. */
    Path pluginDataDir(String pluginId) {
        return stateDir.resolve("plugins").resolve(pluginId);
    }

    private static void folder(String key, Path dir) throws SettingsException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SettingsException(key, "cannot create folder " + dir + ": " + e);
        }
        if (!Files.isWritable(dir)) {
            throw new SettingsException(key, "folder not writable: " + dir);
        }
    }

    private static String required(Map<String, String> values, String key) throws SettingsException {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw new SettingsException(key, "missing (required)");
        }
        return v;
    }

    private static String optional(Map<String, String> values, String key, String dflt) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? dflt : v;
    }

    private static boolean bool(String key, String value) throws SettingsException {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException(key, "expected true or false: '" + value + "'");
        };
    }

    private static int port(String value) throws SettingsException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException(SFTP_PORT, "not a TCP port number (0-65535, 0 = any free port): '"
                + value + "'");
    }

    private static Path path(Path base, String key, String value) throws SettingsException {
        try {
            return base.resolve(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new SettingsException(key, "not a valid path: '" + value + "'");
        }
    }
}

package org.mpft.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.mpft.api.ChannelStartException;
import org.mpft.plugin.cluster.ClusterSecret;
import org.mpft.transport.TlsIdentity;

/**
 * Checks the plugin's settings the way a start would use them, without binding a port and without creating
 * or changing a file: every {@code mpft.*} key (unknown keys and bad values, each one named), the rules that
 * tie keys together, and the files the settings name: the TLS certificate and key ({@code mpft.tls.*}, or the
 * self-signed identity kept in the data folder when there is one), and the cluster secret file. Each problem
 * is one line naming the key and the file.
 */
final class PluginConfigCheck {

    private PluginConfigCheck() {
    }

    /**
     * Every problem of a configuration, in the order of the checks.
     *
     * @param configuration the plugin's settings (keys not starting with {@code mpft.} are ignored)
     * @param dataFolder    the plugin's data folder, which relative file settings are inside; may not exist
     * @return the problems; empty when the channel would start with this configuration
     */
    static List<String> problems(Map<String, String> configuration, Path dataFolder) {
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(dataFolder, "dataFolder");
        List<String> problems = new ArrayList<>();
        Map<Setting<?>, Object> values = new HashMap<>();
        for (String key : new TreeSet<>(configuration.keySet())) {
            if (!key.startsWith(MpftSettings.PREFIX)) {
                continue;
            }
            Setting<?> setting = MpftKeys.find(key).orElse(null);
            String value = configuration.get(key);
            if (setting == null) {
                problems.add("unknown setting " + key);
            } else if (value == null || value.isBlank()) {
                problems.add(Setting.invalid(key, value, "empty value").getMessage());
            } else {
                try {
                    values.put(setting, setting.parse(value));
                } catch (ChannelStartException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (problems.isEmpty()) {
            try {
                MpftSettings.parse(configuration); // the rules between keys
            } catch (ChannelStartException e) {
                problems.add(e.getMessage());
            }
        }
        tls((Path) values.get(MpftKeys.TLS_CERTIFICATE), (Path) values.get(MpftKeys.TLS_KEY), dataFolder, problems);
        Path secret = (Path) values.get(MpftKeys.CLUSTER_SECRET_FILE);
        if (secret != null) {
            try {
                ClusterSecret.load(secret, dataFolder, MpftKeys.CLUSTER_SECRET_FILE.key());
            } catch (ChannelStartException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    private static void tls(Path certificate, Path key, Path dataFolder, List<String> problems) {
        String keys = MpftKeys.TLS_CERTIFICATE.key() + "/" + MpftKeys.TLS_KEY.key();
        if (certificate != null && key != null) {
            Path certificateFile = dataFolder.resolve(certificate).toAbsolutePath().normalize();
            boolean missing = !Files.isRegularFile(certificateFile);
            if (missing) {
                problems.add("invalid setting " + MpftKeys.TLS_CERTIFICATE.key() + "=" + certificate
                        + ": no such file: " + certificateFile);
            }
            try {
                TlsIdentity.load(certificateFile, dataFolder.resolve(key).toAbsolutePath().normalize());
            } catch (IOException e) {
                // the key is checked before the certificate: with the certificate missing, a key problem is new
                if (!missing || !e.getMessage().startsWith("TLS certificate ")) {
                    problems.add("invalid setting " + keys + ": " + e.getMessage());
                }
            }
            return;
        }
        if (certificate != null || key != null) {
            return; // the rule "both or neither" is reported already
        }
        // the self-signed identity: loaded when it exists (it must be intact), else created at start
        Path folder = dataFolder.resolve(MpftInstance.TLS_FOLDER);
        if (Files.exists(folder.resolve(TlsIdentity.KEY_FILE), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(folder.resolve(TlsIdentity.CERTIFICATE_FILE), LinkOption.NOFOLLOW_LINKS)) {
            try {
                TlsIdentity.loadOrCreate(folder, "check"); // one file exists: never creates
            } catch (IOException e) {
                problems.add("TLS identity in " + folder + ": " + e.getMessage());
            }
        }
    }
}

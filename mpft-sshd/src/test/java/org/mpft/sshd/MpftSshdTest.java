package org.mpft.sshd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.sshd.testplugin.ProbeChannel;

/** A real plugin jar, loaded by PF4J through {@link MpftSshd}, using a MINA server's own parts. */
class MpftSshdTest {

    @TempDir
    Path dir;

    @Test
    void aPluginsChannelLogsInAndReadsThroughTheServersOwnParts() throws Exception {
        Path root = Files.createDirectories(dir.resolve("roots/alice"));
        Files.writeString(root.resolve("hello.txt"), "hello");
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setPasswordAuthenticator((user, password, session) -> user.equals("alice") && password.equals("alice-pw"));
        VirtualFileSystemFactory roots = new VirtualFileSystemFactory();
        roots.setUserHomeDir("alice", root);
        sshd.setFileSystemFactory(roots);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        writePluginJar(plugins.resolve("probe.jar"), "probe", ProbeChannel.class);
        Files.writeString(plugins.resolve("plugin.properties"), "probe.greeting=from the file\nprobe.other=x\n");

        MpftSshd mpft = MpftSshd.builder(sshd).pluginsDir(plugins).stateDir(dir.resolve("state"))
                .pluginProperty("probe.greeting", "from the server").start();
        Path data = dir.resolve("state/probe");
        try {
            assertThat(mpft.channels()).containsExactly("probe/probe");
            assertThat(Files.readString(data.resolve("read"))).isEqualTo("alice:hello");
            assertThat(Files.readString(data.resolve("setting"))).isEqualTo("from the server");
        } finally {
            mpft.close();
        }
        assertThat(Files.readString(data.resolve("stopped"))).isEqualTo("yes");
        assertThat(mpft.channels()).isEmpty();
    }

    @Test
    void aBrokenJarIsLoggedAndSkipped() throws Exception {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(dir));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.writeString(plugins.resolve("broken.jar"), "not a jar");
        try (MpftSshd mpft = MpftSshd.builder(sshd).pluginsDir(plugins).stateDir(dir.resolve("state")).start()) {
            assertThat(mpft.channels()).isEmpty();
        }
    }

    /** A PF4J jar plugin (manifest descriptor, extensions index) holding the given extension classes. */
    private static void writePluginJar(Path jar, String pluginId, Class<?>... extensions) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", pluginId);
        main.putValue("Plugin-Version", "1.0.0");
        main.putValue("Plugin-Class", "org.pf4j.Plugin");
        StringBuilder index = new StringBuilder();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> c : extensions) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
                index.append(c.getName()).append('\n');
            }
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write(index.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}

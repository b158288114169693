package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host upgrades and bad configuration: a plugin jar missing a dependency, a malformed
 * {@code plugin.properties}, a bad plugin key, an unusable plugin data folder, a taken UDP port: the host
 * starts, logs one line naming the plugin and the cause (no stack trace), and SFTP keeps serving. A bad
 * host setting (taken SFTP port, state folder that is a file) stops the start with one line naming the key
 * and exit code 2.
 */
@Timeout(300)
class BadConfigIT {

    private static final String PASSWORD = "alice-pw";

    @TempDir
    Path work;

    @Test
    void aPluginJarMissingADependencyFailsAloneInOneLine() throws Exception {
        Path broken = work.resolve("mpft-plugin-broken.jar");
        // an upgrade that lost a library: the QUIC codec classes are gone from the jar
        copyJarWithout(Path.of(System.getProperty(HostProcess.PLUGIN_JAR_PROPERTY)), broken,
                "io/netty/handler/codec/quic/");
        try (HostProcess host = builder().pluginJar(broken).start()) {
            host.awaitOutput("no transfer channel started", Duration.ofSeconds(30));
            // the line names the missing class: the first QUIC class the plugin's start needs
            assertOneErrorLine(host, "plugin 'mpft'", "mpft-plugin-broken.jar",
                    "NoClassDefFoundError: io/netty/handler/codec/quic/");
            assertSftpServes(host);
        }
    }

    @Test
    void aMalformedPluginPropertiesFileStopsOnlyThePlugins() throws Exception {
        // written by hand (the fixture writes only well-formed files): a broken unicode escape
        Files.createDirectories(work.resolve("host/plugins"));
        Files.writeString(work.resolve("host/plugins/plugin.properties"), "mpft.port=7300\nmpft.name=\\u00zz\n");
        try (HostProcess host = builder().withPlugin().start()) {
            host.awaitOutput("plugins not started", Duration.ofSeconds(30));
            assertOneErrorLine(host, "plugin.properties", "Malformed");
            assertSftpServes(host);
        }
    }

    @Test
    void aBadPluginKeyNamesTheKey() throws Exception {
        try (HostProcess host = builder().withPlugin().pluginProperty("mpft.port", "seventy").start()) {
            host.awaitOutput("failed to start", Duration.ofSeconds(30));
            assertOneErrorLine(host, "mpft.port", "seventy");
            assertSftpServes(host);
        }
    }

    @Test
    void aCongestionControllerThatIsNotOneNamesTheKeyAndTheChoices() throws Exception {
        try (HostProcess host = builder().withPlugin().pluginProperty("mpft.congestion-control", "bbr2").start()) {
            host.awaitOutput("failed to start", Duration.ofSeconds(30));
            assertOneErrorLine(host, "mpft.congestion-control", "bbr2", "bbr, cubic or reno");
            assertSftpServes(host);
        }
    }

    @Test
    void aTakenUdpPortNamesThePortAndTheKey() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (HostProcess host = builder().withPlugin().pluginProperty("mpft.bind", "127.0.0.1")
                    .pluginProperty("mpft.port", Integer.toString(port)).start()) {
                host.awaitOutput("failed to start", Duration.ofSeconds(30));
                assertOneErrorLine(host, "mpft.port", Integer.toString(port));
                assertSftpServes(host);
            }
        }
    }

    @Test
    void anUnusablePluginDataFolderNamesTheFolder() throws Exception {
        HostProcess.Builder builder = builder().withPlugin().pluginProperty("mpft.port", "0");
        // the plugin's data folder is a file: nothing can be kept there (root ignores permission bits)
        Files.createDirectories(work.resolve("host/state/plugins"));
        Files.writeString(work.resolve("host/state/plugins/mpft"), "not a folder");
        try (HostProcess host = builder.start()) {
            host.awaitOutput("failed to start", Duration.ofSeconds(30));
            assertOneErrorLine(host, "mpft", "state/plugins/mpft");
            assertSftpServes(host);
        }
    }

    @Test
    void aTakenSftpPortRefusesTheStartInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> builder().sftpPort(taken.getLocalPort()).start())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("exited with code 2")
                    .hasMessageContaining("sftp.port")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat "));
        }
    }

    @Test
    void aStateFolderThatIsAFileRefusesTheStartInOneLine() throws Exception {
        Files.createDirectories(work.resolve("host"));
        Files.writeString(work.resolve("host/state"), "not a folder");
        assertThatThrownBy(() -> builder().start())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with code 2")
                .hasMessageContaining("state.dir")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat "));
    }

    private HostProcess.Builder builder() {
        return HostProcess.builder(work.resolve("host"))
                .user(HostProcess.User.withPassword("alice", PASSWORD))
                .echoOutput(false);
    }

    private static void assertOneErrorLine(HostProcess host, String... mentions) {
        List<String> errors = host.output().lines().filter(l -> l.contains("ERROR")).toList();
        assertThat(errors).as("error lines in:\n%s", host.output()).hasSize(1);
        for (String m : mentions) {
            assertThat(errors.get(0)).contains(m);
        }
        assertThat(host.output()).as("no stack trace").doesNotContain("\tat ");
        assertThat(host.isAlive()).isTrue();
    }

    /** SFTP works: alice logs in with her password and reads a file. */
    private static void assertSftpServes(HostProcess host) throws Exception {
        Files.writeString(Files.createDirectories(host.home("alice")).resolve("hello.txt"), "hello\n");
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.start();
            try (ClientSession session = client.connect("alice", "127.0.0.1", host.sftpPort())
                    .verify(Duration.ofSeconds(10)).getSession()) {
                session.addPasswordIdentity(PASSWORD);
                session.auth().verify(Duration.ofSeconds(10));
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
                     InputStream in = sftp.read("hello.txt")) {
                    assertThat(new String(in.readAllBytes())).isEqualTo("hello\n");
                }
            }
        }
    }

    private static void copyJarWithout(Path from, Path to, String prefix) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            ZipEntry e;
            int dropped = 0;
            while ((e = in.getNextEntry()) != null) {
                if (e.getName().startsWith(prefix)) {
                    dropped++;
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            assertThat(dropped).as("entries under %s", prefix).isPositive();
        }
    }

}

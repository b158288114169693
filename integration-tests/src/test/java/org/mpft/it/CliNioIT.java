package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client on NIO, as it runs where no epoll library loads (macOS, Windows): the real CLI started with
 * {@code -Dmpft.transport=nio} downloads from a real host on Linux, where it would otherwise take epoll. A logback
 * configuration that shows the transport's choice (debug for {@code org.mpft.transport}) tells which path ran.
 */
class CliNioIT {

    private static final String PASSWORD = "alice-pw";
    private static final int SIZE = 12 * 1024 * 1024;

    @TempDir
    static Path shared;

    static HostProcess host;
    static int quicPort;
    static byte[] data;
    static Path logback;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHost() throws Exception {
        quicPort = FreePorts.udp();
        host = HostProcess.builder(shared.resolve("host"))
                .user(HostProcess.User.withPassword("alice", PASSWORD).read("/pub"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(quicPort))
                .start();
        host.awaitOutput("channel 'mpft' started", Duration.ofSeconds(60));
        data = new byte[SIZE];
        new Random(16).nextBytes(data);
        Path pub = Files.createDirectories(host.home("alice").resolve("pub"));
        Files.write(pub.resolve("data.bin"), data);
        logback = shared.resolve("logback-transport.xml");
        Files.writeString(logback, """
                <configuration>
                  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>mpft: %level %logger{20}: %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.mpft.transport.QuicTransport" level="DEBUG"/>
                  <root level="WARN"><appender-ref ref="STDERR"/></root>
                </configuration>
                """);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    private MpftCli.Run download(String name, String... jvmOptions) throws Exception {
        List<String> options = new java.util.ArrayList<>(List.of("-Dlogback.configurationFile=" + logback));
        options.addAll(List.of(jvmOptions));
        return new MpftCli(dir, PASSWORD).run(options, p -> { }, "get", "--password-env", "MPFT_PASSWORD",
                "--accept-new", "--known-hosts", dir.resolve("known_hosts").toString(), "--json",
                "alice@127.0.0.1:" + quicPort + ":/pub/data.bin", "-o", dir.resolve(name).toString());
    }

    private void assertDownloaded(MpftCli.Run run, String name) throws Exception {
        assertThat(run.exitCode()).as(run + "\nhost:\n" + host.output()).isZero();
        assertThat(run.jsonNumber("bytes")).isEqualTo(SIZE);
        assertThat(run.jsonString("sha256"))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(Files.readAllBytes(dir.resolve(name))).isEqualTo(data);
    }

    @Test
    void forcedNioDownloadsTheFile() throws Exception {
        MpftCli.Run run = download("nio.bin", "-Dmpft.transport=nio");
        assertDownloaded(run, "nio.bin");
        assertThat(run.stderr()).contains("NIO transport chosen by -Dmpft.transport=nio")
                .doesNotContain("epoll transport");
    }

    @Test
    void withoutTheSwitchTheClientTakesEpollOnLinux() throws Exception {
        MpftCli.Run run = download("epoll.bin");
        assertDownloaded(run, "epoll.bin");
        assertThat(run.stderr()).contains("epoll transport").doesNotContain("NIO transport");
    }

    @Test
    void anUnknownTransportIsRefusedByName() throws Exception {
        MpftCli.Run run = download("never.bin", "-Dmpft.transport=kqueue");
        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.stderr()).contains("-Dmpft.transport=kqueue");
        assertThat(dir.resolve("never.bin")).doesNotExist();
    }
}

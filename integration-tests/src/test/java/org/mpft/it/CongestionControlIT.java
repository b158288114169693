package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.protocol.Strategy;

/**
 * {@code mpft.congestion-control}: a primary and its secondary, both sending with the controller named, serve a
 * multi-path download byte for byte. Real host processes, the real plugin jar, {@link FileTransferClient} in this
 * JVM. (A value that is not a controller is refused at start, naming the key: {@code BadConfigIT}.)
 */
@Timeout(300)
class CongestionControlIT {

    private static final int MIB = 1 << 20;

    @TempDir
    Path work;

    private MultiPathHosts hosts;
    private FileTransferClient client;

    @BeforeEach
    void setUp() throws Exception {
        hosts = new MultiPathHosts(work);
        client = new FileTransferClient();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        hosts.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bbr", "cubic", "reno"})
    void bothServersSendWithTheController(String controller) throws Exception {
        Path secret = hosts.secret("cluster.secret", "k".repeat(40));
        Map<String, String> cc = Map.of("mpft.congestion-control", controller);
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, cc);
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), cc);
        MultiPathHosts.awaitLinks(primary, 1);
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/cc.bin", 16 * MIB, 7);
        Path output = work.resolve("out/cc.bin");
        Files.createDirectories(output.getParent());

        DownloadResult result = client.download(hosts.request(primary, "data/cc.bin", output, Strategy.ALTERNATE),
                p -> { });

        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source)).isEqualTo(result.sha256());
        assertThat(result.paths()).hasSize(2);
    }
}

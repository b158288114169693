package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.Features;
import org.mpft.protocol.FileDigest;
import org.mpft.protocol.Frame;
import org.mpft.protocol.Hello;
import org.mpft.protocol.Meta;
import org.mpft.protocol.Open;
import org.mpft.protocol.ServerHello;
import org.mpft.protocol.Start;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTransport;

/**
 * The whole file's SHA-256 from the primary (FILE_DIGEST): real host processes (a primary and a secondary on
 * loopback), the real plugin jar; the protocol spoken by a raw connection where the frames themselves are the
 * point, {@link FileTransferClient} where the downloaded file is.
 */
@Timeout(300)
class FileDigestIT {

    private static final String SECRET = "y".repeat(48);
    private static final int SIZE = 24 << 20;

    @TempDir
    Path work;

    private MultiPathHosts hosts;
    private final QuicTransport transport = QuicTransport.create("it-file-digest", 1);

    @BeforeEach
    void setUp() throws Exception {
        hosts = new MultiPathHosts(work);
    }

    @AfterEach
    void tearDown() {
        transport.close();
        hosts.close();
    }

    @Test
    void aMultiPathTransferThatAsksGetsTheFilesDigestAfterEveryChunkDigest() throws Exception {
        MultiPathHosts.Host primary = primaryWithSecondary();
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/d.bin", SIZE, 21);

        try (RawConnection raw = new RawConnection(transport, primary.port())) {
            login(raw, Features.MULTI_PATH | Features.FILE_DIGEST);
            raw.send(new Open("data/d.bin", Strategy.ADAPTIVE, Features.FILE_DIGEST));
            Meta meta = raw.expect(Meta.class);
            assertThat(meta.secondaries()).hasSize(1);
            assertThat(Features.has(meta.features(), Features.FILE_DIGEST)).as("granted").isTrue();
            raw.send(new Start(meta.transferId(), Bytes.EMPTY));

            BitSet digested = new BitSet();
            FileDigest file = null;
            while (file == null) {
                Frame frame = raw.expect(Frame.class);
                if (frame instanceof ChunkDigests digests) {
                    digested.set(digests.firstChunk(), digests.firstChunk() + digests.digests().length() / 32);
                } else if (frame instanceof FileDigest given) {
                    file = given;
                }
            }
            assertThat(digested.cardinality()).as("every chunk's digest came first")
                    .isEqualTo(meta.plan().chunkCount());
            assertThat(file.transferId()).isEqualTo(meta.transferId());
            assertThat(file.sha256().hex()).isEqualTo(MultiPathHosts.sha256(source));
        }
    }

    @Test
    void aTransferWithoutSecondariesOrTheAskOrOfASmallFileIsNotGrantedTheDigest() throws Exception {
        MultiPathHosts.Host primary = primaryWithSecondary();
        MultiPathHosts.randomFile(hosts.home(), "data/e.bin", SIZE, 22);

        try (RawConnection singlePath = new RawConnection(transport, primary.port())) {
            login(singlePath, Features.FILE_DIGEST); // no MULTI_PATH: the primary does not read the file ahead
            singlePath.send(new Open("data/e.bin", Strategy.ADAPTIVE, Features.FILE_DIGEST));
            Meta meta = singlePath.expect(Meta.class);
            assertThat(meta.secondaries()).isEmpty();
            assertThat(Features.has(meta.features(), Features.FILE_DIGEST)).isFalse();
        }
        try (RawConnection notAsked = new RawConnection(transport, primary.port())) {
            login(notAsked, Features.MULTI_PATH | Features.FILE_DIGEST);
            notAsked.send(new Open("data/e.bin", Strategy.ADAPTIVE, 0));
            Meta meta = notAsked.expect(Meta.class);
            assertThat(meta.secondaries()).hasSize(1);
            assertThat(Features.has(meta.features(), Features.FILE_DIGEST)).isFalse();
        }
        MultiPathHosts.randomFile(hosts.home(), "data/small.bin", 3 << 20, 24); // 3 chunks of 1 MiB
        try (RawConnection smallFile = new RawConnection(transport, primary.port())) {
            login(smallFile, Features.MULTI_PATH | Features.FILE_DIGEST);
            smallFile.send(new Open("data/small.bin", Strategy.ADAPTIVE, Features.FILE_DIGEST));
            Meta meta = smallFile.expect(Meta.class);
            assertThat(meta.secondaries()).as("multi-path").hasSize(1);
            assertThat(Features.has(meta.features(), Features.FILE_DIGEST)).as("fewer than 8 chunks").isFalse();
        }
        try (RawConnection olderClient = new RawConnection(transport, primary.port())) {
            login(olderClient, Features.MULTI_PATH); // a client that never heard of it, asking anyway
            olderClient.send(new Open("data/e.bin", Strategy.ADAPTIVE, Features.FILE_DIGEST));
            Meta meta = olderClient.expect(Meta.class);
            assertThat(Features.has(meta.features(), Features.FILE_DIGEST)).isFalse();
        }
    }

    @Test
    void aClientThatHashesTheFileItselfAndOneThatTakesThePrimarysAgreeWithTheFile() throws Exception {
        MultiPathHosts.Host primary = primaryWithSecondary();
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/f.bin", SIZE, 23);
        String expected = MultiPathHosts.sha256(source);
        try (FileTransferClient client = new FileTransferClient()) {
            for (boolean hashLocally : List.of(false, true)) {
                Path output = work.resolve("out-" + hashLocally + "/f.bin");
                Files.createDirectories(output.getParent());
                DownloadRequest r = hosts.request(primary, "data/f.bin", output, Strategy.ADAPTIVE);
                DownloadRequest request = new DownloadRequest(r.user(), r.host(), r.port(), r.remotePath(), r.output(),
                        r.credentials(), r.hostKeys(), r.strategy(), r.resume(), r.retries(), r.compress(),
                        r.busyWait(), r.certificateAuthorities(), hashLocally);
                DownloadResult result = client.download(request, p -> { });
                assertThat(result.paths()).as("both paths served").hasSize(2);
                assertThat(result.sha256()).as("hashLocally=%s", hashLocally).isEqualTo(expected);
                assertThat(MultiPathHosts.sha256(output)).isEqualTo(expected);
            }
        }
        // the primary logs the digest each client reported in DONE, and that its own read of the file agrees
        Poll.until("two DONE lines", Poll.PATIENCE,
                () -> primary.process().output().split("client sha256").length == 3, primary.process()::output);
        assertThat(primary.process().output().split("\n")).filteredOn(l -> l.contains("client sha256"))
                .hasSize(2).allMatch(l -> l.strip().endsWith(expected + " (the primary's read agrees)"));
    }

    private MultiPathHosts.Host primaryWithSecondary() throws Exception {
        Path secret = hosts.secret("cluster.secret", SECRET);
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
        MultiPathHosts.awaitLinks(primary, 1);
        return primary;
    }

    private static void login(RawConnection raw, long features) throws InterruptedException {
        raw.send(new Hello(1, features, "it"));
        ServerHello hello = raw.expect(ServerHello.class);
        assertThat(Features.has(hello.features(), Features.FILE_DIGEST))
                .as("a primary offers FILE_DIGEST to a client that knows it")
                .isEqualTo(Features.has(features, Features.FILE_DIGEST));
        raw.send(new AuthPassword(MultiPathHosts.USER,
                Bytes.of(MultiPathHosts.PASSWORD.getBytes(StandardCharsets.UTF_8))));
        raw.expect(AuthOk.class);
    }
}

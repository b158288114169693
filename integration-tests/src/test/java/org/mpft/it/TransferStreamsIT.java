package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.Batch;
import org.mpft.client.BatchFile;
import org.mpft.client.BatchListener;
import org.mpft.client.BatchRequest;
import org.mpft.client.BatchResult;
import org.mpft.client.Credentials;
import org.mpft.client.FileSelection;
import org.mpft.client.ListingRequest;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Hello;
import org.mpft.protocol.ListRequest;
import org.mpft.protocol.Meta;
import org.mpft.protocol.Open;
import org.mpft.protocol.ServerHello;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTransport;

/**
 * Several transfers at once on one logged-in session ({@link Features#TRANSFER_STREAMS}), on a real demo host
 * with the real plugin jar over real QUIC: a batch of small files with one session and four files in flight
 * (the server is gated so that the overlap is seen on its own counters), and the rules of transfer streams
 * driven by a raw protocol client (before AUTH_OK, over {@code mpft.max-concurrent-transfers}, a client
 * without the feature).
 */
@Timeout(300)
class TransferStreamsIT {

    private static final String PASSWORD = "alice-pw";
    private static final int MAX_CONCURRENT = 4;
    private static final int METRICS_PORT = FreePorts.tcp();

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD))
            .pluginProperty("mpft.chunk-size", "64k")
            .pluginProperty("mpft.max-concurrent-transfers", Integer.toString(MAX_CONCURRENT))
            .pluginProperty("mpft.metrics.bind", "127.0.0.1:" + METRICS_PORT)
            .pluginProperty("mpft.idle-timeout", "120s") // a close seen below is the server's doing
            .holdChunks()
            .quiet()
            .build();

    static QuicTransport transport;

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Random random = new Random(17);
        for (int i = 0; i < 60; i++) {
            // 4 KB to 300 KB: most files are one to five chunks
            byte[] bytes = new byte[4096 + random.nextInt(300 * 1024)];
            random.nextBytes(bytes);
            Path file = host.home("alice").resolve("small/d" + (i % 5) + "/f" + i + ".bin");
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        }
        byte[] one = new byte[1 << 20];
        random.nextBytes(one);
        Files.write(host.home("alice").resolve("one.bin"), one);
        transport = QuicTransport.create("transfer-streams", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void manySmallFilesArriveWithSeveralInFlightOnOneSession() throws Exception {
        Path out = work.resolve("out");
        ListingRequest listing = new ListingRequest("alice", "127.0.0.1", host.port(),
                new Credentials.Password(PASSWORD.toCharArray()), CertificatePins.trusting(host.fingerprint()), null);
        FileSelection.Plan plan = host.client().select(listing, List.of("small"), out, true);
        assertThat(plan.files()).hasSize(60);
        double loginsBefore = metric("mpft_logins_total{result=\"ok\"}");
        BatchRequest request = BatchRequest.builder(host.request("unused", out, false), plan.files()).sessions(1)
                .transfersPerSession(4).build();

        host.closeGate(); // every chunk waits: the transfers the client started stay open on the server
        BatchResult result;
        try {
            Batch batch = host.client().startBatch(request, BatchListener.NONE);
            // one logged-in session, four transfers running on it at once
            Poll.until("four transfers running at once on one session", Poll.PATIENCE, () -> {
                try {
                    return metric("mpft_transfers_active") == 4
                            && metric("mpft_sessions{state=\"authenticated\"}") == 1;
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, host::output);
            host.openGate();
            result = batch.await();
        } finally {
            host.openGate();
        }

        assertThat(result.failures()).isEmpty();
        assertThat(metric("mpft_logins_total{result=\"ok\"}") - loginsBefore).as("one login for the batch")
                .isEqualTo(1);
        for (BatchFile file : plan.files()) {
            assertThat(Files.mismatch(file.output(), host.home("alice").resolve(file.remotePath())))
                    .as(file.remotePath()).isEqualTo(-1);
        }
    }

    @Test
    void aClientAskingMoreFilesInFlightThanTheServerTakesGetsEveryFile() throws Exception {
        Path out = work.resolve("over");
        ListingRequest listing = new ListingRequest("alice", "127.0.0.1", host.port(),
                new Credentials.Password(PASSWORD.toCharArray()), CertificatePins.trusting(host.fingerprint()), null);
        FileSelection.Plan plan = host.client().select(listing, List.of("small/d1", "small/d2"), out, true);
        // one more than the server's mpft.max-concurrent-transfers: an OPEN over it is refused, the session lives
        // on with as many streams as the server takes, and the refused file comes on one of them
        BatchResult result = host.client().downloadBatch(BatchRequest.builder(host.request("unused", out, false),
                plan.files()).sessions(1).transfersPerSession(MAX_CONCURRENT + 1).build(), BatchListener.NONE);

        assertThat(result.failures()).isEmpty();
        for (BatchFile file : plan.files()) {
            assertThat(Files.mismatch(file.output(), host.home("alice").resolve(file.remotePath())))
                    .as(file.remotePath()).isEqualTo(-1);
        }
    }

    @Test
    void aTransferStreamBeforeAuthOkIsAProtocolError() throws Exception {
        try (RawConnection raw = new RawConnection(transport, host.port(), FrameType.Link.CONTROL,
                Duration.ofSeconds(120))) {
            raw.send(new Hello(1, Features.TRANSFER_STREAMS, "raw-it"));
            assertThat(raw.expect(ServerHello.class).features() & Features.TRANSFER_STREAMS)
                    .as("the server speaks transfer streams").isEqualTo(Features.TRANSFER_STREAMS);
            LinkedBlockingQueue<Frame> answers = new LinkedBlockingQueue<>();
            QuicStreamChannel early = transferStream(raw, answers);
            early.writeAndFlush(new Open("one.bin", Strategy.ALTERNATE, 0)).sync();
            Frame answer = answers.poll(30, TimeUnit.SECONDS);
            assertThat(answer).isInstanceOfSatisfying(ErrorFrame.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
            // both sides' idle timeout is 120 s: a close within this (failure-bounding) wait is the server's doing
            assertThat(raw.connection.closeFuture().await(60, TimeUnit.SECONDS)).as("the server ends the session")
                    .isTrue();
        }
    }

    @Test
    void aListOnATransferStreamIsAProtocolError() throws Exception {
        try (RawConnection raw = new RawConnection(transport, host.port(), FrameType.Link.CONTROL,
                Duration.ofSeconds(120))) {
            login(raw, Features.TRANSFER_STREAMS);
            LinkedBlockingQueue<Frame> answers = new LinkedBlockingQueue<>();
            QuicStreamChannel stream = transferStream(raw, answers);
            stream.writeAndFlush(new ListRequest("small", "", 10)).sync(); // LIST belongs on the control stream
            assertThat(answers.poll(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ErrorFrame.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
            assertThat(raw.connection.closeFuture().await(60, TimeUnit.SECONDS)).as("the server ends the session")
                    .isTrue();
        }
    }

    @Test
    void anOpenOverTheConcurrentTransfersIsRefusedOnItsStreamAndTheSessionLives() throws Exception {
        try (RawConnection raw = new RawConnection(transport, host.port(), FrameType.Link.CONTROL,
                Duration.ofSeconds(120))) {
            login(raw, Features.TRANSFER_STREAMS);
            // the control stream's transfer counts too; the raw client never STARTs: each transfer stays open
            raw.send(new Open("one.bin", Strategy.ALTERNATE, 0));
            Meta onControl = raw.expect(Meta.class);
            List<LinkedBlockingQueue<Frame>> answers = new ArrayList<>();
            List<QuicStreamChannel> streams = new ArrayList<>();
            for (int i = 1; i < MAX_CONCURRENT; i++) {
                LinkedBlockingQueue<Frame> answer = new LinkedBlockingQueue<>();
                QuicStreamChannel stream = transferStream(raw, answer);
                stream.writeAndFlush(new Open("one.bin", Strategy.ALTERNATE, 0)).sync();
                assertThat(answer.poll(30, TimeUnit.SECONDS)).as("transfer stream %d", i).isInstanceOf(Meta.class);
                answers.add(answer);
                streams.add(stream);
            }
            LinkedBlockingQueue<Frame> over = new LinkedBlockingQueue<>();
            QuicStreamChannel overStream = transferStream(raw, over);
            overStream.writeAndFlush(new Open("one.bin", Strategy.ALTERNATE, 0)).sync();
            assertThat(over.poll(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ErrorFrame.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                assertThat(e.message()).contains("mpft.max-concurrent-transfers");
            });

            // a transfer stream closed by the client (FIN) ends its transfer, and the server closes its side
            streams.get(0).shutdownOutput().sync();
            Poll.until("the server closes its side of the finished stream", Poll.PATIENCE,
                    () -> streams.get(0).isInputShutdown() || !streams.get(0).isActive());
            Frame answer = null;
            for (int attempt = 0; attempt < 1000 && !(answer instanceof Meta); attempt++) {
                // the FIN and this OPEN travel on different streams: until the server saw the FIN, the OPEN is
                // refused again (the stream stays usable each time)
                overStream.writeAndFlush(new Open("one.bin", Strategy.ALTERNATE, 0)).sync();
                answer = over.poll(30, TimeUnit.SECONDS);
                assertThat(answer).isNotNull();
                if (answer instanceof ErrorFrame e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                }
            }
            assertThat(answer).as("the refused stream takes an OPEN once a transfer ended").isInstanceOf(Meta.class);
            assertThat(raw.connection.isActive()).as("the session lives").isTrue();
            assertThat(onControl.size()).isEqualTo(1 << 20);
        }
    }

    @Test
    void aClientWithoutTransferStreamsGetsTheStreamRefusedAsBefore() throws Exception {
        try (RawConnection raw = new RawConnection(transport, host.port(), FrameType.Link.CONTROL,
                Duration.ofSeconds(120))) {
            ServerHello hello = login(raw, 0);
            assertThat(hello.features() & Features.TRANSFER_STREAMS).as("not asked for, not granted").isZero();
            LinkedBlockingQueue<Frame> answer = new LinkedBlockingQueue<>();
            QuicStreamChannel second = transferStream(raw, answer);
            second.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 9})).sync();
            assertThat(answer.poll(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ErrorFrame.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                assertThat(e.message()).contains("one control stream per connection");
            });
            // the session carries on: the control stream still opens a transfer
            raw.send(new Open("one.bin", Strategy.ALTERNATE, 0));
            assertThat(raw.expect(Meta.class).size()).isEqualTo(1 << 20);
        }
    }

    private static ServerHello login(RawConnection raw, long features) throws InterruptedException {
        return raw.login("alice", PASSWORD, features);
    }

    private static QuicStreamChannel transferStream(RawConnection raw, LinkedBlockingQueue<Frame> into)
            throws Exception {
        return raw.openStream(into);
    }

    private String scrape() throws java.io.IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + METRICS_PORT + "/metrics")).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private double metric(String name) throws java.io.IOException, InterruptedException {
        String body = scrape();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return Double.parseDouble(m.group(1));
    }
}

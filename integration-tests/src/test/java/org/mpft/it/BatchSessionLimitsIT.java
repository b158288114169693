package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.BatchFile;
import org.mpft.client.BatchListener;
import org.mpft.client.BatchRequest;
import org.mpft.client.BatchResult;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Meta;
import org.mpft.protocol.Open;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTransport;

/**
 * A batch longer than what the server allows on one session ({@code mpft.max-transfers-per-session}): the
 * server ends the session at the OPEN over the limit (after the transfers still in progress on its other
 * streams, which a raw protocol client shows), and the batch goes on over a new one, with no busy wait (the
 * fixture's requests have none), so no file fails.
 */
@Timeout(180)
class BatchSessionLimitsIT {

    private static final int PER_SESSION = 5;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("bob", "bob-pw"))
            .pluginProperty("mpft.max-transfers-per-session", Integer.toString(PER_SESSION))
            .build();

    @TempDir
    Path out;

    static QuicTransport transport;

    @BeforeAll
    static void start() {
        transport = QuicTransport.create("session-limits", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void aBatchGoesOnOverANewSessionWhenTheServerEndsOneAtItsLimit() throws Exception {
        List<BatchFile> files = new ArrayList<>();
        for (int i = 0; i < 4 * PER_SESSION + 3; i++) {
            Path source = host.randomFile("many/f" + i + ".bin", 100 + i, i);
            files.add(new BatchFile("many/f" + i + ".bin", out.resolve("f" + i + ".bin"), Files.size(source),
                    Files.getLastModifiedTime(source).toMillis(), -1));
        }

        BatchResult result = host.client().downloadBatch(BatchRequest.builder(host.request("unused", out, false),
                files).sessions(1).build(), BatchListener.NONE);

        assertThat(result.failures()).isEmpty();
        for (BatchFile file : files) {
            assertThat(Files.mismatch(file.output(), host.home("bob").resolve(file.remotePath()))).isEqualTo(-1);
        }
    }

    @Test
    void theOpenOverTheLimitWaitsForTheTransfersInProgressBeforeTheSessionEnds() throws Exception {
        host.randomFile("held.bin", 1 << 20, 7);
        try (RawConnection raw = new RawConnection(transport, host.port(), FrameType.Link.CONTROL,
                java.time.Duration.ofSeconds(120))) {
            raw.login("bob", "bob-pw", Features.TRANSFER_STREAMS);
            // a transfer in progress on a transfer stream (the raw client never STARTs it)
            LinkedBlockingQueue<Frame> answers = new LinkedBlockingQueue<>();
            QuicStreamChannel stream = raw.openStream(answers);
            stream.writeAndFlush(new Open("held.bin", Strategy.ALTERNATE, 0)).sync();
            assertThat(answers.poll(30, TimeUnit.SECONDS)).isInstanceOf(Meta.class);
            for (int i = 2; i <= PER_SESSION; i++) {
                raw.send(new Open("missing-" + i + ".bin", Strategy.ALTERNATE, 0));
                assertThat(raw.expect(ErrorFrame.class).code()).as("OPEN %d", i).isEqualTo(ErrorCode.FILE_NOT_FOUND);
            }
            raw.send(new Open("held.bin", Strategy.ALTERNATE, 0));
            ErrorFrame refused = raw.expect(ErrorFrame.class);
            assertThat(refused.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(refused.message()).contains("mpft.max-transfers-per-session");
            raw.send(new Open("held.bin", Strategy.ALTERNATE, 0));
            assertThat(raw.expect(ErrorFrame.class).code()).as("refused as long as the session drains")
                    .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(raw.connection.isActive()).as("the transfer in progress keeps the session").isTrue();

            // the last transfer ends (the client closes its stream): the session ends
            stream.shutdownOutput().sync();
            assertThat(raw.connection.closeFuture().await(60, TimeUnit.SECONDS)).as("the server ends the session")
                    .isTrue();
        }
    }
}

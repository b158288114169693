package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Meta;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Strategy;

/**
 * What a kept session's connection reports goes to the transfers on it: control frames to the control stream's
 * lane, chunks to the lane whose META named their transfer, a failure to every lane; between transfers chunks
 * are released. (The lanes have no session here: nothing is sent.)
 */
class ClientSessionRouteTest {

    private static DownloadEvent.ChunkArrived chunk(long transferId, ByteBuf payload) {
        return new DownloadEvent.ChunkArrived("h:1", new ChunkHeader(transferId, 0, 0, 1, Encoding.RAW, 1,
                ChecksumAlgorithm.CRC32C, Bytes.of(new byte[4])), payload, 1,
                new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES));
    }

    private static Meta meta(long transferId) {
        return new Meta(transferId, 1, 0, 1 << 20, ChecksumAlgorithm.CRC32C, Strategy.ALTERNATE, 0, List.of());
    }

    @Test
    void eventsGoToTheAttachedTransferAndBetweenTransfersChunksAreReleased() {
        ClientSession.Route route = new ClientSession.Route();
        TransferLane lane = new TransferLane(null, route.routes());
        route.add(lane, true);
        List<DownloadEvent> first = new ArrayList<>();
        lane.attach(first::add, () -> null);
        route.accept(new DownloadEvent.ControlFrame(ErrorFrame.of(ErrorCode.FILE_NOT_FOUND, "no such file")));
        assertThat(first).hasSize(1);
        assertThat(lane.openRefused()).isTrue();
        lane.idle();

        ByteBuf late = Unpooled.buffer(1).writeByte(1);
        route.accept(chunk(1, late));
        assertThat(late.refCnt()).as("a chunk between transfers").isZero();
        assertThat(route.dead()).isFalse();

        List<DownloadEvent> second = new ArrayList<>();
        lane.attach(second::add, () -> null);
        assertThat(lane.openRefused()).as("a new transfer's OPEN is not answered yet").isFalse();
        route.accept(new DownloadEvent.ControlFrame(ErrorFrame.of(ErrorCode.LIMIT_EXCEEDED, "too many")));
        assertThat(lane.openRefused()).as("the server ends the session after this one").isFalse();
        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
    }

    @Test
    void chunksGoToTheLaneOfTheirTransferAndAFailureToEveryLane() {
        ClientSession.Route route = new ClientSession.Route();
        TransferLane control = new TransferLane(null, route.routes());
        TransferLane stream = new TransferLane(null, route.routes());
        route.add(control, true);
        route.add(stream, false);
        List<DownloadEvent> onControl = new ArrayList<>();
        List<DownloadEvent> onStream = new ArrayList<>();
        control.attach(onControl::add, () -> null);
        stream.attach(onStream::add, () -> null);
        route.accept(new DownloadEvent.ControlFrame(meta(7)));
        stream.accept(new DownloadEvent.ControlFrame(meta(9))); // a transfer stream's frames go to its lane

        DownloadEvent.ChunkArrived of9 = chunk(9, Unpooled.buffer(1).writeByte(1));
        DownloadEvent.ChunkArrived of7 = chunk(7, Unpooled.buffer(1).writeByte(1));
        route.accept(of9);
        route.accept(of7);
        assertThat(onControl).hasSize(2).element(1).isSameAs(of7);
        assertThat(onStream).hasSize(2).element(1).isSameAs(of9);
        of7.release();
        of9.release();

        ByteBuf unknown = Unpooled.buffer(1).writeByte(1);
        route.accept(chunk(8, unknown));
        assertThat(unknown.refCnt()).as("a chunk of no transfer on this connection").isZero();

        stream.idle();
        ByteBuf afterDone = Unpooled.buffer(1).writeByte(1);
        route.accept(chunk(9, afterDone));
        assertThat(afterDone.refCnt()).as("a chunk of a transfer that ended").isZero();

        stream.attach(onStream::add, () -> null);
        route.accept(new DownloadEvent.Failed(new MpftException(ErrorCode.SERVER_UNAVAILABLE, "lost")));
        assertThat(onControl.get(onControl.size() - 1)).isInstanceOf(DownloadEvent.Failed.class);
        assertThat(onStream.get(onStream.size() - 1)).isInstanceOf(DownloadEvent.Failed.class);
        assertThat(route.dead()).isTrue();
    }

    @Test
    void theEndedTransfersLateDigestsDoNotAnswerTheNextOpen() {
        ClientSession.Route route = new ClientSession.Route();
        TransferLane lane = new TransferLane(null, route.routes());
        route.add(lane, true);
        List<DownloadEvent> first = new ArrayList<>();
        lane.attach(first::add, () -> null);
        route.accept(new DownloadEvent.ControlFrame(meta(7)));
        lane.idle(); // DONE sent

        List<DownloadEvent> second = new ArrayList<>();
        lane.attach(second::add, () -> null);
        // the primary's digest thread sent one more frame of transfer 7 before it read the DONE
        route.accept(new DownloadEvent.ControlFrame(digests(7)));
        assertThat(second).as("transfer 7's digests on the reused stream").isEmpty();
        route.accept(new DownloadEvent.ControlFrame(digests(5)));
        assertThat(second).as("digests of no transfer that ran here still reach the task, which refuses them")
                .hasSize(1);

        List<DownloadEvent> third = new ArrayList<>();
        lane.idle();
        lane.attach(third::add, () -> null);
        route.accept(new DownloadEvent.ControlFrame(meta(8)));
        route.accept(new DownloadEvent.ControlFrame(digests(8)));
        assertThat(third).extracting(e -> ((DownloadEvent.ControlFrame) e).frame())
                .containsExactly(meta(8), digests(8));
        assertThat(route.dead()).isFalse();
    }

    private static ChunkDigests digests(long transferId) {
        return new ChunkDigests(transferId, 0, Bytes.of(new byte[32]));
    }

    @Test
    void aFailureMarksTheSessionDeadEvenBetweenTransfers() {
        ClientSession.Route route = new ClientSession.Route();
        route.accept(new DownloadEvent.Failed(new MpftException(ErrorCode.SERVER_UNAVAILABLE, "lost")));
        assertThat(route.dead()).isTrue();
    }
}

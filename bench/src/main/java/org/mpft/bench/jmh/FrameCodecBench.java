package org.mpft.bench.jmh;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mpft.protocol.Ack;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Meta;
import org.mpft.protocol.ProtocolException;
import org.mpft.protocol.SecondaryEndpoint;
import org.mpft.protocol.Strategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-chunk control traffic: encoding and decoding an ACK (one per chunk, client to server), a chunk
 * header (one per chunk stream) and a META with one secondary (once per transfer, the largest frame).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCodecBench {

    private Ack ack;
    private Meta meta;
    private ChunkHeader header;
    private ByteBuffer ackBytes;
    private ByteBuffer metaBytes;
    private ByteBuffer headerBytes;
    private final ByteBuffer headerOut = ByteBuffer.allocate(ChunkHeader.MAX_ENCODED_LENGTH);

    /** Builds the frames and their encodings once. */
    @Setup
    public void setUp() {
        ack = new Ack(0x1234_5678_9abcL, 4711);
        byte[] sha = new byte[32];
        for (int i = 0; i < sha.length; i++) {
            sha[i] = (byte) (i * 7);
        }
        meta = new Meta(0x1234_5678_9abcL, 1L << 30, 1_700_000_000_000L, 4 << 20, ChecksumAlgorithm.SHA256,
                Strategy.ADAPTIVE, 0, List.of(new SecondaryEndpoint("s1", "10.77.2.1", 4433, Bytes.of(sha),
                        Bytes.of(new byte[48]))));
        header = new ChunkHeader(0x1234_5678_9abcL, 4711, 4711L << 22, 4 << 20, Encoding.RAW, 4 << 20,
                ChecksumAlgorithm.SHA256, Bytes.of(sha));
        ackBytes = FrameCodec.encode(ack);
        metaBytes = FrameCodec.encode(meta);
        headerBytes = header.encode();
    }

    /** FrameCodec.encode of an ACK. */
    @Benchmark
    public ByteBuffer encodeAck() {
        return FrameCodec.encode(ack);
    }

    /** FrameCodec.decodeNext of an ACK. */
    @Benchmark
    public Frame decodeAck() throws ProtocolException {
        return FrameCodec.decodeNext(ackBytes.duplicate(), FrameType.Link.CONTROL);
    }

    /** FrameCodec.encode of a META with one secondary. */
    @Benchmark
    public ByteBuffer encodeMeta() {
        return FrameCodec.encode(meta);
    }

    /** FrameCodec.decodeNext of a META with one secondary. */
    @Benchmark
    public Frame decodeMeta() throws ProtocolException {
        return FrameCodec.decodeNext(metaBytes.duplicate(), FrameType.Link.CONTROL);
    }

    /** ChunkHeader.encode into a reused buffer (the sender's path). */
    @Benchmark
    public ByteBuffer encodeChunkHeader() {
        headerOut.clear();
        header.encode(headerOut);
        return headerOut;
    }

    /** ChunkHeader.decodeNext (the receiver's path). */
    @Benchmark
    public ChunkHeader decodeChunkHeader() throws ProtocolException {
        return ChunkHeader.decodeNext(headerBytes.duplicate());
    }
}

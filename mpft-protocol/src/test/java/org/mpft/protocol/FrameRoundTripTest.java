package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every frame kind survives encode then decode with edge values: empty, maximal, Unicode, negative, extreme. */
class FrameRoundTripTest {

    /** The longest string a frame may carry: 8192 UTF-8 bytes. */
    static final String MAX_ASCII = "x".repeat(WireReader.MAX_STRING_BYTES);
    /** 2048 four-byte code points: 8192 UTF-8 bytes, 4096 chars. */
    static final String MAX_EMOJI = "\uD83D\uDE00".repeat(WireReader.MAX_STRING_BYTES / 4);
    static final String UNICODE = "données/été/日本語/\uD83D\uDCBE.iso";
    static final String WITH_NUL = "a\u0000b"; // the codec carries it; RemotePath refuses it

    static Bytes filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return Bytes.of(bytes);
    }

    static List<SecondaryEndpoint> secondaries(int count) {
        List<SecondaryEndpoint> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new SecondaryEndpoint("s" + i, "2001:db8::" + i, i == 0 ? 0 : 65535, filled(32, i),
                    filled(i * 10, 0xEE)));
        }
        return list;
    }

    static Stream<Frame> frames() {
        long[] longs = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L};
        List<Frame> frames = new ArrayList<>();
        for (long value : longs) {
            frames.add(new Attached(value));
            frames.add(new Cancel(value));
            frames.add(new TransferRegistered(value));
            frames.add(new EndTransfer(value));
            frames.add(new ClientAttached(value));
            frames.add(new LinkPing(value));
            frames.add(new LinkPong(value));
            frames.add(new TransferRefused(value, ErrorCode.LIMIT_EXCEEDED, ""));
            frames.add(new Hello(1, value, "agent"));
            frames.add(new ServerHello(1, value, Bytes.EMPTY, ""));
            frames.add(new Open("a", Strategy.ALTERNATE, value));
            frames.add(new Ack(value, 0));
            frames.add(new Meta(value, 0, value, ChunkPlan.MIN_CHUNK_SIZE, ChecksumAlgorithm.CRC32C,
                    Strategy.ADAPTIVE, value, List.of()));
            frames.add(new RegisterTransfer(value, "u", "p", 0, value, ChunkPlan.MAX_CHUNK_SIZE,
                    ChecksumAlgorithm.SHA256, Bytes.EMPTY, value));
        }
        Collections.addAll(frames,
                new Hello(0, 0, ""),
                new Hello(0xFFFF, Features.ALL, MAX_ASCII),
                new Hello(2, 0, MAX_EMOJI),
                new ServerHello(0xFFFF, 0, filled(256, 0xFF), UNICODE),
                new AuthPassword("", Bytes.EMPTY),
                new AuthToken("alice", filled(AuthToken.MAX_TOKEN_BYTES, 0x7f)),
                new AuthPassword(UNICODE, filled(1024, 0x00)),
                new AuthPassword(MAX_ASCII, Bytes.of("pässwörd".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                new AuthPublicKey("", "", Bytes.EMPTY, Bytes.EMPTY),
                new AuthPublicKey("bob", "RSA", filled(4096, 0x30), filled(4096, 0x7F)),
                new AuthOk(""),
                new AuthOk(MAX_EMOJI),
                new Attach(Bytes.EMPTY),
                new Attach(filled(4096, 0xA5)),
                new ListRequest("", "", 1),
                new ListRequest(UNICODE, MAX_ASCII, Listing.MAX_ENTRIES),
                new Listing(List.of(), false),
                new Listing(java.util.Collections.nCopies(Listing.MAX_ENTRIES,
                        new ListingEntry("x".repeat(255), ListingEntry.Type.FILE, Long.MAX_VALUE, Long.MIN_VALUE, 07777)), true),
                new Listing(List.of(new ListingEntry(UNICODE.replace("/", ""), ListingEntry.Type.DIRECTORY, 0, -1, -1)), false),
                new Listing(List.of(new ListingEntry("f", ListingEntry.Type.FILE, 1, 2, 0)), false),
                new Open("", Strategy.SERVER_DEFAULT, 0),
                new Open(UNICODE, Strategy.ADAPTIVE, Features.ALL),
                new Open(WITH_NUL, Strategy.ALTERNATE, 0),
                new Open(MAX_ASCII, Strategy.SERVER_DEFAULT, -1),
                new Meta(1, GoldenFrames.FIVE_GIB + 1, 0, GoldenFrames.FOUR_MIB, ChecksumAlgorithm.SHA256,
                        Strategy.ALTERNATE, 0, secondaries(3)),
                new Meta(1, (long) ChunkPlan.MAX_CHUNKS * ChunkPlan.MAX_CHUNK_SIZE, 0, ChunkPlan.MAX_CHUNK_SIZE,
                        ChecksumAlgorithm.SHA256, Strategy.ALTERNATE, 0, secondaries(Meta.MAX_SECONDARIES)),
                new Meta(1, 1, -1, ChunkPlan.MAX_CHUNK_SIZE, ChecksumAlgorithm.CRC32C, Strategy.ADAPTIVE, 0,
                        List.of(new SecondaryEndpoint("", "", 0, Bytes.EMPTY, Bytes.EMPTY))),
                new ChunkDigests(0, 0, Bytes.EMPTY),
                new ChunkDigests(-1, Integer.MAX_VALUE, filled(ChunkDigests.MAX_DIGEST_BYTES, 0x42)),
                new FileDigest(0, Bytes.EMPTY),
                new FileDigest(Long.MIN_VALUE, filled(32, 0x5a)),
                new Start(0, Bytes.EMPTY),
                new Start(Long.MIN_VALUE, filled(ChunkPlan.MAX_CHUNKS / 8, 0xFF)),
                new Ack(1, Integer.MAX_VALUE),
                new Nack(1, 0, ErrorCode.PROTOCOL_ERROR),
                new Nack(-1, Integer.MAX_VALUE, ErrorCode.CLUSTER_AUTH_FAILED),
                new Done(0, Bytes.EMPTY),
                new Done(Long.MAX_VALUE, filled(64, 0x99)),
                ErrorFrame.of(ErrorCode.INTERNAL_ERROR, ""),
                new ErrorFrame(ErrorCode.CHUNK_TIMEOUT, UNICODE, 0),
                new ErrorFrame(ErrorCode.LIMIT_EXCEEDED, MAX_ASCII, Integer.MAX_VALUE),
                new ClusterHello("", Bytes.EMPTY),
                new ClusterHello(UNICODE, filled(64, 1)),
                new ClusterChallenge("", Bytes.EMPTY, Bytes.EMPTY),
                new ClusterChallenge(MAX_ASCII, filled(64, 2), filled(64, 3)),
                new ClusterProof(Bytes.EMPTY),
                new ClusterProof(filled(64, 4)),
                new ClusterWelcome("", 0, Bytes.EMPTY),
                new ClusterWelcome("secondary.example.org", 65535, filled(64, 5)),
                new RegisterTransfer(Long.MAX_VALUE, UNICODE, MAX_ASCII, Long.MAX_VALUE, Long.MIN_VALUE,
                        ChunkPlan.MIN_CHUNK_SIZE, ChecksumAlgorithm.CRC32C, filled(64, 6), Long.MIN_VALUE),
                new RegisterTransfer(1, "u", "p", 0, 0, ChunkPlan.MIN_CHUNK_SIZE, ChecksumAlgorithm.SHA256,
                        Bytes.EMPTY, 0, Encoding.DEFLATE),
                new SendChunk(0, 0, 0, 0),
                new SendChunk(-1, Integer.MAX_VALUE, Long.MAX_VALUE, ChunkPlan.MAX_CHUNK_SIZE),
                new ChunkSent(0, 0, Bytes.EMPTY, 0, 0),
                new ChunkSent(Long.MIN_VALUE, Integer.MAX_VALUE, filled(64, 7), Long.MAX_VALUE, Long.MAX_VALUE),
                new ChunkError(0, 0, ErrorCode.STALE_FILE, ""),
                new ChunkError(-1, Integer.MAX_VALUE, ErrorCode.FILE_CHANGED, MAX_EMOJI),
                new TransferRefused(Long.MIN_VALUE, ErrorCode.ACCESS_DENIED, UNICODE),
                new TransferRefused(0, ErrorCode.STALE_FILE, MAX_ASCII));
        for (ErrorCode code : ErrorCode.values()) {
            frames.add(ErrorFrame.of(code, code.name()));
            frames.add(new Nack(1, 1, code));
        }
        for (Strategy strategy : Strategy.values()) {
            frames.add(new Open("a/b", strategy, 0));
        }
        return frames.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("frames")
    void roundTrips(Frame frame) throws ProtocolException {
        byte[] encoded = Wire.encode(frame);

        assertThat(encoded.length).isLessThanOrEqualTo(FrameCodec.LENGTH_FIELD_BYTES + FrameCodec.MAX_FRAME_LENGTH);
        Frame decoded = Wire.decode(encoded, Wire.linkOf(frame.type()));
        assertThat(decoded).isEqualTo(frame).hasSameHashCodeAs(frame);
        assertThat(Wire.encode(decoded)).isEqualTo(encoded);
    }

    @Test
    void fullResumeBitmapFitsInOneStartFrame() throws ProtocolException {
        // the bitmap for MAX_CHUNKS chunks must go in one START frame, else a big resume cannot be asked for
        Start start = new Start(1, filled(ChunkPlan.MAX_CHUNKS / 8, 0xFF));

        ByteBuffer encoded = FrameCodec.encode(start);

        assertThat(encoded.getInt(0)).isLessThanOrEqualTo(FrameCodec.MAX_FRAME_LENGTH);
        Start decoded = (Start) Wire.decode(Wire.encode(start), FrameType.Link.CONTROL);
        assertThat(decoded.holds(ChunkPlan.MAX_CHUNKS - 1)).isTrue();
    }

    @Test
    void severalFramesInOneBufferDecodeInOrder() throws ProtocolException {
        List<Frame> sent = List.of(new Ack(1, 2), ErrorFrame.of(ErrorCode.CANCELLED, "bye"), new Cancel(1));
        ByteBuffer stream = ByteBuffer.allocate(200);
        sent.forEach(frame -> stream.put(FrameCodec.encode(frame)));
        byte[] partial = Wire.encode(new Done(1, Bytes.EMPTY));
        stream.put(partial, 0, 7).flip();

        List<Frame> received = new ArrayList<>();
        Frame frame;
        while ((frame = FrameCodec.decodeNext(stream, FrameType.Link.CONTROL)) != null) {
            received.add(frame);
        }

        assertThat(received).isEqualTo(sent);
        assertThat(stream.remaining()).isEqualTo(7);
    }

    @Test
    void lengthPrefixIsBigEndianWhateverTheBufferOrder() throws ProtocolException {
        byte[] encoded = Wire.encode(new Ack(1, 2));
        ByteBuffer little = ByteBuffer.wrap(encoded).order(java.nio.ByteOrder.LITTLE_ENDIAN);

        assertThat(FrameCodec.decodeNext(little, FrameType.Link.CONTROL)).isEqualTo(new Ack(1, 2));
    }

    @Test
    void startHoldsReadsTheBitmapLowBitFirst() {
        Start start = new Start(1, Bytes.fromHex("0580"));

        assertThat(start.holds(0)).isTrue();
        assertThat(start.holds(1)).isFalse();
        assertThat(start.holds(2)).isTrue();
        assertThat(start.holds(15)).isTrue();
        assertThat(start.holds(14)).isFalse();
        assertThat(start.holds(16)).isFalse();
        assertThat(new Start(1, Bytes.EMPTY).holds(0)).isFalse();
    }

    @Test
    void metaGivesItsPlan() {
        Meta meta = (Meta) GoldenFrames.all().get(8).frame();

        assertThat(meta.plan()).isEqualTo(new ChunkPlan(GoldenFrames.FIVE_GIB + 1, GoldenFrames.FOUR_MIB));
        assertThat(meta.plan().chunkCount()).isEqualTo(1281);
    }

    @Test
    void errorFrameBecomesAnExceptionWithItsCode() {
        MpftException e = ErrorFrame.of(ErrorCode.ACCESS_DENIED, "no right to a").toException();

        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e).hasMessage("no right to a");
    }

    @Test
    void passwordNeverInToString() {
        assertThat(new AuthPassword("alice", Bytes.of("hunter2".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .hasToString("AuthPassword[user=alice, password=***]");
        assertThat(new AuthToken("alice", Bytes.of(new byte[] {1, 2, 3}))).hasToString("AuthToken[user=alice, token=***]");
    }
}

package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The encoder refuses, with IllegalArgumentException naming the field, every frame its peer's decoder
 * would refuse, so that a bad value fails where it was made instead of as a PROTOCOL_ERROR on the other
 * side.
 */
class FrameEncodeLimitsTest {

    static Bytes filled(int length) {
        return Bytes.of(new byte[length]);
    }

    static void assertEncodeRefused(Frame frame, String fragment) {
        assertThatThrownBy(() -> FrameCodec.encode(frame))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(fragment);
    }

    @Test
    void stringsOverTheLimit() {
        String tooLong = "x".repeat(WireReader.MAX_STRING_BYTES + 1);
        assertEncodeRefused(new Hello(1, 0, tooLong), "string of 8193 UTF-8 bytes exceeds 8192");
        assertEncodeRefused(new Open("é".repeat(4097), Strategy.ALTERNATE, 0), "string of 8194 UTF-8 bytes");
        assertEncodeRefused(ErrorFrame.of(ErrorCode.INTERNAL_ERROR, "x".repeat(70_000)), "string of 70000");
    }

    @Test
    void byteStringsOverTheirFieldLimit() {
        assertEncodeRefused(new ServerHello(1, 0, filled(257), "s"), "challenge is 257 bytes, over 256");
        assertEncodeRefused(new AuthPassword("u", filled(1025)), "password is 1025 bytes");
        assertEncodeRefused(new AuthToken("u", filled(257)), "token is 257 bytes");
        assertEncodeRefused(new AuthPublicKey("u", "RSA", filled(4097), Bytes.EMPTY), "publicKey is 4097 bytes");
        assertEncodeRefused(new AuthPublicKey("u", "RSA", Bytes.EMPTY, filled(4097)), "signature is 4097 bytes");
        assertEncodeRefused(new Attach(filled(4097)), "ticket is 4097 bytes");
        assertEncodeRefused(new Done(1, filled(65)), "sha256 is 65 bytes");
        assertEncodeRefused(new ChunkDigests(1, 0, filled(ChunkDigests.MAX_DIGEST_BYTES + 1)), "digests length");
        assertEncodeRefused(new Start(1, filled(ChunkPlan.MAX_CHUNKS / 8 + 1)), "have length");
        assertEncodeRefused(new ClusterHello("p", filled(65)), "nonce is 65 bytes");
        assertEncodeRefused(new ClusterChallenge("s", Bytes.EMPTY, filled(65)), "proof is 65 bytes");
        assertEncodeRefused(new ClusterProof(filled(65)), "proof is 65 bytes");
        assertEncodeRefused(new ClusterWelcome("h", 1, filled(65)), "certificateSha256 is 65 bytes");
        assertEncodeRefused(new ChunkSent(1, 1, filled(65), 0, 0), "checksum is 65 bytes");
        assertEncodeRefused(new RegisterTransfer(1, "u", "p", 0, 0, 4096, ChecksumAlgorithm.SHA256, filled(65), 0),
                "ticketId is 65 bytes");
        assertEncodeRefused(new Meta(1, 0, 0, 4096, ChecksumAlgorithm.SHA256, Strategy.ALTERNATE, 0,
                List.of(new SecondaryEndpoint("s", "h", 1, Bytes.EMPTY, filled(4097)))), "ticket is 4097 bytes");
    }

    @Test
    void valuesTheDecoderRefuses() {
        assertEncodeRefused(new Hello(0x10000, 0, "a"), "u16 out of range: 65536");
        assertEncodeRefused(new Hello(-1, 0, "a"), "u16 out of range: -1");
        assertEncodeRefused(new ClusterWelcome("h", 70_000, Bytes.EMPTY), "u16 out of range");
        assertEncodeRefused(new Ack(1, -1), "chunk is negative");
        assertEncodeRefused(new Nack(1, -1, ErrorCode.CHUNK_CORRUPTION), "chunk is negative");
        assertEncodeRefused(new ErrorFrame(ErrorCode.INTERNAL_ERROR, "m", -2), "chunk -2 is neither -1 nor an index");
        assertEncodeRefused(new ChunkError(1, -1, ErrorCode.STALE_FILE, "m"), "chunk is negative");
        assertEncodeRefused(new SendChunk(1, -1, 0, 1), "chunk is negative");
        assertEncodeRefused(new SendChunk(1, 0, -1, 1), "offset is negative");
        assertEncodeRefused(new SendChunk(1, 0, 0, ChunkPlan.MAX_CHUNK_SIZE + 1), "length 67108865 outside");
        assertEncodeRefused(new ChunkSent(1, 0, Bytes.EMPTY, -1, 0), "bytes is negative");
        assertEncodeRefused(new ChunkSent(1, 0, Bytes.EMPTY, 0, -1), "nanos is negative");
        assertEncodeRefused(new Meta(1, -1, 0, 4096, ChecksumAlgorithm.SHA256, Strategy.ALTERNATE, 0, List.of()),
                "file size < 0");
        assertEncodeRefused(new Meta(1, 1, 0, 4095, ChecksumAlgorithm.SHA256, Strategy.ALTERNATE, 0, List.of()),
                "chunk size 4095 outside");
        assertEncodeRefused(new Meta(1, Long.MAX_VALUE, 0, 4096, ChecksumAlgorithm.SHA256, Strategy.ALTERNATE, 0,
                List.of()), "more than " + ChunkPlan.MAX_CHUNKS + " chunks");
        assertEncodeRefused(new RegisterTransfer(1, "u", "p", -1, 0, 4096, ChecksumAlgorithm.SHA256, Bytes.EMPTY, 0),
                "file size < 0");
        assertEncodeRefused(new RegisterTransfer(1, "u", "p", 0, 0, 0, ChecksumAlgorithm.SHA256, Bytes.EMPTY, 0),
                "chunk size 0 outside");
    }

    @Test
    void aFrameOverOneMebibyteIsRefused() {
        List<SecondaryEndpoint> big = new ArrayList<>();
        for (int i = 0; i < Meta.MAX_SECONDARIES; i++) {
            String name = "n".repeat(WireReader.MAX_STRING_BYTES);
            big.add(new SecondaryEndpoint(name, name, 1, filled(32), filled(4096)));
        }
        Meta meta = new Meta(1, 0, 0, 4096, ChecksumAlgorithm.SHA256, Strategy.ALTERNATE, 0, big);

        // type and fixed fields 40 bytes, each secondary 2+8192 + 2+8192 + 2 + 2+32 + 2+4096 = 20522 bytes
        assertEncodeRefused(meta, "META frame of " + (40 + 64 * 20522) + " bytes exceeds 1048576");
    }

    @Test
    void recordsRefuseImpossibleValuesAtConstruction() {
        assertThatThrownBy(() -> new Meta(1, 0, 0, 4096, ChecksumAlgorithm.SHA256, Strategy.ALTERNATE, 0,
                new ArrayList<>(java.util.Collections.nCopies(Meta.MAX_SECONDARIES + 1,
                        new SecondaryEndpoint("s", "h", 1, Bytes.EMPTY, Bytes.EMPTY)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too many secondaries: 65");
        assertThatThrownBy(() -> new SecondaryEndpoint("s", "h", 65536, Bytes.EMPTY, Bytes.EMPTY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> new ChunkDigests(1, -1, Bytes.EMPTY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hello(1, 0, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("agent");
        assertThatThrownBy(() -> new Open(null, Strategy.ALTERNATE, 0)).isInstanceOf(NullPointerException.class)
                .hasMessage("path");
    }
}

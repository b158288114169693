package org.mpft.protocol;

import static org.mpft.protocol.Wire.hex;
import static org.mpft.protocol.Wire.repeat;

import java.util.List;

/**
 * One representative frame of every kind with its exact encoding, worked out by hand from the layout in
 * {@code docs/PROTOCOL.md} (not copied from the encoder's output). Shared by the golden, truncation and
 * fuzz tests.
 */
final class GoldenFrames {

    /** A frame and its full encoding: {@code u32 length | u8 type | body}. */
    record Golden(Frame frame, byte[] encoded) {
        FrameType type() {
            return frame.type();
        }

        @Override
        public String toString() {
            return frame.type().name();
        }
    }

    static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String FIVE_GIB_PLUS_1 = "0000000140000001";
    static final String MTIME = "0000018bcfe56800"; // 1_700_000_000_000 ms
    static final String EXPIRES = "0000018bcfe65260"; // 1_700_000_060_000 ms
    static final String DATA_BIG_ISO = "000c 646174612f6269672e69736f"; // "data/big.iso"
    static final String IP_10_0_0_2 = "0008 31302e302e302e32"; // "10.0.0.2"

    static final long FIVE_GIB = 5L * 1024 * 1024 * 1024;
    static final int FOUR_MIB = 4 * 1024 * 1024;

    private GoldenFrames() {
    }

    static Bytes bytes(String hex) {
        return Bytes.fromHex(hex);
    }

    static List<Golden> all() {
        return List.of(
                new Golden(new Hello(1, Features.ALL, "mpft-cli/0.1.0"), hex(
                        "0000001b", "01",
                        "0001", "000000000000001f", "000e 6d7066742d636c692f302e312e30")),
                new Golden(new ServerHello(1, Features.COMPRESSION,
                        bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), "primary-1"), hex(
                        "00000038", "02",
                        "0001", "0000000000000001",
                        "0020 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                        "0009 7072696d6172792d31")),
                new Golden(new AuthPassword("alice", bytes("733363726574")), hex(
                        "00000010", "03",
                        "0005 616c696365", "0006 733363726574")),
                new Golden(new AuthPublicKey("bob", "Ed25519", bytes("0a0b0c"), bytes("ff00")), hex(
                        "00000018", "04",
                        "0003 626f62", "0007 45643235353139", "0003 0a0b0c", "0002 ff00")),
                new Golden(new AuthOk("alice"), hex(
                        "00000008", "05",
                        "0005 616c696365")),
                new Golden(new Attach(bytes("deadbeef")), hex(
                        "00000007", "06",
                        "0004 deadbeef")),
                new Golden(new Attached(0x0102030405060708L), hex(
                        "00000009", "07",
                        "0102030405060708")),
                new Golden(new Open("data/big.iso", Strategy.ADAPTIVE, Features.COMPRESSION), hex(
                        "00000018", "08",
                        DATA_BIG_ISO, "02", "0000000000000001")),
                new Golden(new Meta(7, FIVE_GIB + 1, 1_700_000_000_000L, FOUR_MIB, ChecksumAlgorithm.SHA256,
                        Strategy.ALTERNATE, Features.MULTI_PATH, List.of(new SecondaryEndpoint("s2", "10.0.0.2", 4433,
                        bytes(repeat("aa", 32)), bytes("0102")))), hex(
                        "0000005e", "09",
                        "0000000000000007", FIVE_GIB_PLUS_1, MTIME, "00400000", "01", "01", "0000000000000002",
                        "01",
                        "0002 7332", IP_10_0_0_2, "1151", "0020" + repeat("aa", 32), "0002 0102")),
                new Golden(new ChunkDigests(7, 2, bytes("0011223344556677")), hex(
                        "00000019", "0a",
                        "0000000000000007", "00000002", "00000008 0011223344556677")),
                new Golden(new FileDigest(7, bytes(repeat("ab", 32))), hex(
                        "0000002b", "14",
                        "0000000000000007", "0020" + repeat("ab", 32))),
                new Golden(new Start(7, bytes("05")), hex(
                        "0000000e", "0b",
                        "0000000000000007", "00000001 05")),
                new Golden(new Ack(7, 3), hex(
                        "0000000d", "0c",
                        "0000000000000007", "00000003")),
                new Golden(new Nack(7, 3, ErrorCode.CHUNK_CORRUPTION), hex(
                        "0000000f", "0d",
                        "0000000000000007", "00000003", "0009")),
                new Golden(new Cancel(7), hex(
                        "00000009", "0e",
                        "0000000000000007")),
                new Golden(new Done(7, bytes(SHA256_ABC)), hex(
                        "0000002b", "0f",
                        "0000000000000007", "0020" + SHA256_ABC)),
                new Golden(ErrorFrame.of(ErrorCode.FILE_NOT_FOUND, "no such file: a"), hex(
                        "00000018", "10",
                        "0005", "000f 6e6f2073756368 2066696c653a2061", "ffffffff")),
                new Golden(new ListRequest("logs", "b", 100), hex(
                        "0000000c", "12",
                        "0004 6c6f6773", "0001 62", "0064")),
                new Golden(new Listing(List.of(
                        new ListingEntry("a.gz", ListingEntry.Type.FILE, 1024, 1_700_000_000_000L, 0644),
                        new ListingEntry("d", ListingEntry.Type.DIRECTORY, 4096, 0, -1)), true), hex(
                        "00000037", "13",
                        "01", "0002",
                        "0004 612e677a", "01", "0000000000000400", MTIME, "000001a4",
                        "0001 64", "02", "0000000000001000", "0000000000000000", "ffffffff")),
                new Golden(new ClusterHello("p", bytes("01020304")), hex(
                        "0000000a", "20",
                        "0001 70", "0004 01020304")),
                new Golden(new ClusterChallenge("s", bytes("0a0b"), bytes(repeat("55", 32))), hex(
                        "0000002a", "21",
                        "0001 73", "0002 0a0b", "0020" + repeat("55", 32))),
                new Golden(new ClusterProof(bytes(repeat("66", 32))), hex(
                        "00000023", "22",
                        "0020" + repeat("66", 32))),
                new Golden(new ClusterWelcome("10.0.0.2", 4433, bytes(repeat("aa", 32))), hex(
                        "0000002f", "23",
                        IP_10_0_0_2, "1151", "0020" + repeat("aa", 32))),
                new Golden(new RegisterTransfer(7, "alice", "data/big.iso", FIVE_GIB + 1, 1_700_000_000_000L,
                        FOUR_MIB, ChecksumAlgorithm.CRC32C, bytes(repeat("11", 16)), 1_700_000_060_000L), hex(
                        "0000004e", "24",
                        "0000000000000007", "0005 616c696365", DATA_BIG_ISO, FIVE_GIB_PLUS_1, MTIME, "00400000",
                        "02", "0010" + repeat("11", 16), EXPIRES, "00")),
                new Golden(new RegisterTransfer(7, "alice", "data/big.iso", FIVE_GIB + 1, 1_700_000_000_000L,
                        FOUR_MIB, ChecksumAlgorithm.CRC32C, bytes(repeat("11", 16)), 1_700_000_060_000L,
                        Encoding.ZSTD), hex(
                        "0000004e", "24",
                        "0000000000000007", "0005 616c696365", DATA_BIG_ISO, FIVE_GIB_PLUS_1, MTIME, "00400000",
                        "02", "0010" + repeat("11", 16), EXPIRES, "02")),
                new Golden(new TransferRegistered(7), hex(
                        "00000009", "25",
                        "0000000000000007")),
                new Golden(new SendChunk(7, 1280, FIVE_GIB, 1), hex(
                        "00000019", "26",
                        "0000000000000007", "00000500", "0000000140000000", "00000001")),
                new Golden(new ChunkSent(7, 3, bytes("e3069283"), FOUR_MIB, 1_500_000), hex(
                        "00000023", "27",
                        "0000000000000007", "00000003", "0004 e3069283", "0000000000400000", "000000000016e360")),
                new Golden(new ChunkError(7, 3, ErrorCode.STALE_FILE, "stale"), hex(
                        "00000016", "28",
                        "0000000000000007", "00000003", "000d", "0005 7374616c65")),
                new Golden(new EndTransfer(7), hex(
                        "00000009", "29",
                        "0000000000000007")),
                new Golden(new ClientAttached(7), hex(
                        "00000009", "2a",
                        "0000000000000007")),
                new Golden(new TransferRefused(7, ErrorCode.STALE_FILE, "stale"), hex(
                        "00000012", "2b",
                        "0000000000000007", "000d", "0005 7374616c65")),
                new Golden(new LinkPing(7), hex(
                        "00000009", "2c",
                        "0000000000000007")),
                new Golden(new LinkPong(7), hex(
                        "00000009", "2d",
                        "0000000000000007")),
                new Golden(new AuthToken("alice", bytes("0102030405")), hex(
                        "0000000f", "11",
                        "0005 616c696365", "0005 0102030405")));
    }
}

package org.mpft.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.zip.CRC32C;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.MpftException;

/**
 * The crash-safe record of which chunks of a partial download are held: {@code <output>.mpft-state}.
 *
 * <p>Big-endian, written whole to {@code <output>.mpft-state.tmp}, forced to disk, then renamed over the
 * state file with {@code ATOMIC_MOVE}; a reader therefore sees either the old or the new state, never a
 * torn one, and a CRC-32C over everything before it catches any other damage:
 * <pre>
 *   magic        8 bytes  "MPFTSTAT"
 *   version      u16      2
 *   size         i64      the file's size on the server, bytes
 *   mtimeMillis  i64      its modification time on the server, ms since the epoch
 *   chunkSize    i32      bytes
 *   server       u16 length + UTF-8
 *   remotePath   u16 length + UTF-8
 *   chunkCount   i32
 *   bitmapLength i32      = ceil(chunkCount / 8)
 *   bitmap       bytes    bit i (byte i / 8, bit i % 8, least significant first) set = chunk i held
 *   checksums    u32 x chunkCount   CRC-32C of each held chunk's bytes as written (0 for others)
 *   crc32c       u32      over every byte above
 * </pre>
 * The per-chunk checksums let a resume check every kept chunk against what was written before trusting it
 * (a part file damaged on disk or edited between two runs); they catch damage, not a forger who can write
 * both files (a CRC is not a MAC).
 * A state that fails any check (magic, version, CRC, lengths, a part file shorter than the held chunks)
 * is not reused: {@link #read} says why, and the download starts over.
 *
 * <p>Not thread-safe: {@link ChunkManager} serialises the writes.
 */
final class StateFile {

    private static final byte[] MAGIC = "MPFTSTAT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;
    /** Bigger than any valid state: header + 1 MiB bitmap + 32 MiB of chunk checksums + two 64 KiB strings. */
    private static final int MAX_STATE_BYTES = 34 * 1024 * 1024;

    private final Path state;
    private final Path temp;

    /** @param state the state file, {@code <output>.mpft-state} */
    StateFile(Path state) {
        this.state = state;
        this.temp = state.resolveSibling(state.getFileName() + ".tmp");
    }

    /**
     * Either the held chunks of a reusable partial download with the CRC-32C recorded for each chunk, or why
     * it is not reusable.
     */
    record Read(BitSet held, int[] checksums, String reason) {
        Read(String reason) {
            this(null, null, reason);
        }
    }

    /** The state file. */
    Path path() {
        return state;
    }

    /** The state's temporary file, {@code <output>.mpft-state.tmp}. */
    Path temporary() {
        return temp;
    }

    /**
     * Replaces the state on disk (temporary file created new and never through a link, force, atomic
     * rename; the rename replaces whatever entry holds the state's name, a link included, without following it).
     *
     * @throws IOException when the temporary file cannot be created (something planted under its name among
     *                     the reasons, named in the message)
     */
    void write(FileIdentity identity, BitSet held, int[] checksums) throws IOException {
        byte[] bytes = encode(identity, held, checksums);
        boolean written = false;
        try (FileChannel out = LocalFiles.createNew(temp)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
            written = true;
        } catch (MpftException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            if (!written) {
                Files.deleteIfExists(temp); // ours when the open succeeded; unlinking a planted link leaves its target
            }
        }
        try {
            Files.move(temp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, state, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes the state and its temporary file: the download is complete. */
    void delete() throws IOException {
        Files.deleteIfExists(state);
        Files.deleteIfExists(temp);
    }

    /** The state's bytes, in the layout above. */
    static byte[] encode(FileIdentity identity, BitSet held, int[] checksums) {
        ChunkPlan plan = identity.plan();
        int count = plan.chunkCount();
        byte[] server = identity.server().getBytes(StandardCharsets.UTF_8);
        byte[] path = identity.remotePath().getBytes(StandardCharsets.UTF_8);
        if (server.length > 0xFFFF || path.length > 0xFFFF) {
            throw new IllegalArgumentException("server or remote path too long for the state file");
        }
        int bitmapLength = (count + 7) / 8;
        ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 2 + 8 + 8 + 4 + 2 + server.length + 2 + path.length
                + 4 + 4 + bitmapLength + 4 * count + 4);
        buffer.put(MAGIC).putShort((short) VERSION).putLong(identity.size()).putLong(identity.mtimeMillis())
                .putInt(identity.chunkSize())
                .putShort((short) server.length).put(server)
                .putShort((short) path.length).put(path)
                .putInt(count).putInt(bitmapLength);
        byte[] bitmap = held.toByteArray(); // little-endian bit order, trailing zero bytes dropped
        buffer.put(bitmap, 0, Math.min(bitmap.length, bitmapLength));
        buffer.position(buffer.position() + bitmapLength - Math.min(bitmap.length, bitmapLength));
        for (int i = 0; i < count; i++) {
            buffer.putInt(held.get(i) ? checksums[i] : 0);
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.array();
    }

    /**
     * Reads the state of a partial download and checks it against the file the server has now.
     *
     * @param part     the part file the state describes
     * @param expected the server's file now
     */
    Read read(Path part, FileIdentity expected) throws IOException {
        if (!Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
            return new Read("the partial file " + part.getFileName() + " is missing");
        }
        byte[] bytes;
        try (SeekableByteChannel in = Files.newByteChannel(state, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (in.size() > MAX_STATE_BYTES) {
                return new Read("the state file " + state.getFileName() + " is damaged (too large)");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) in.size());
            while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                // reads until full or the end
            }
            bytes = Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            return new Read("the state file " + state.getFileName() + " is missing");
        }
        FileIdentity found;
        BitSet held;
        int[] checksums;
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            if (bytes.length < MAGIC.length + 4) {
                throw new IllegalStateException("truncated");
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 4);
            if ((int) crc.getValue() != buffer.getInt(bytes.length - 4)) {
                throw new IllegalStateException("checksum mismatch");
            }
            byte[] magic = new byte[MAGIC.length];
            buffer.get(magic);
            if (!MessageDigest.isEqual(magic, MAGIC)) {
                throw new IllegalStateException("not an mpft state file");
            }
            int version = buffer.getShort() & 0xFFFF;
            if (version != VERSION) {
                throw new IllegalStateException("unknown version " + version);
            }
            long size = buffer.getLong();
            long mtime = buffer.getLong();
            int chunkSize = buffer.getInt();
            String server = readString(buffer);
            String path = readString(buffer);
            int count = buffer.getInt();
            int bitmapLength = buffer.getInt();
            found = new FileIdentity(server, path, size, mtime, chunkSize);
            if (count != found.plan().chunkCount() || bitmapLength != (count + 7) / 8
                    || buffer.remaining() != bitmapLength + 4L * count + 4) {
                throw new IllegalStateException("inconsistent lengths");
            }
            byte[] bitmap = new byte[bitmapLength];
            buffer.get(bitmap);
            held = BitSet.valueOf(bitmap);
            if (held.length() > count) {
                throw new IllegalStateException("chunk bits beyond the end");
            }
            checksums = new int[count];
            for (int i = 0; i < count; i++) {
                checksums[i] = buffer.getInt();
            }
        } catch (RuntimeException e) {
            // BufferUnderflowException, IllegalArgumentException from the plan, IllegalStateException above
            return new Read("the state file " + state.getFileName() + " is damaged ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        String changed = describeChange(found, expected);
        if (changed != null) {
            return new Read(changed);
        }
        // every chunk the state claims must lie inside the part file
        long partSize = Files.readAttributes(part, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        int last = held.length() - 1;
        if (last >= 0) {
            ChunkPlan plan = expected.plan();
            if (plan.offset(last) + plan.length(last) > partSize) {
                return new Read("the partial file " + part.getFileName() + " is shorter than its state says");
            }
        }
        return new Read(held, checksums, null);
    }

    private static String readString(ByteBuffer buffer) {
        int length = buffer.getShort() & 0xFFFF;
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String describeChange(FileIdentity old, FileIdentity now) {
        if (!old.server().equals(now.server()) || !old.remotePath().equals(now.remotePath())) {
            return "the partial download was of " + old.server() + ":" + old.remotePath() + ", not "
                    + now.server() + ":" + now.remotePath();
        }
        if (old.size() != now.size() || old.mtimeMillis() != now.mtimeMillis()) {
            return "the file changed on the server since the partial download (size " + old.size() + " -> "
                    + now.size() + " bytes, modified " + Instant.ofEpochMilli(old.mtimeMillis()) + " -> "
                    + Instant.ofEpochMilli(now.mtimeMillis()) + ")";
        }
        if (old.chunkSize() != now.chunkSize()) {
            return "the server's chunk size changed (" + old.chunkSize() + " -> " + now.chunkSize() + " bytes)";
        }
        return null;
    }
}

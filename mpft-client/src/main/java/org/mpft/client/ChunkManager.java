package org.mpft.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Holds one download on disk: verified chunks are written in place into {@code <output>.mpft-part}
 * (positional writes, no reassembly in memory) and recorded in {@code <output>.mpft-state}; when every
 * chunk is held, {@link #finish()} fsyncs and renames the part file to the output atomically; the file's
 * SHA-256 is computed on the way ({@link InOrderDigest}), not by reading the whole file again at the end.
 * A file under the output's name is therefore always complete and verified.
 *
 * <h2>The state file</h2>
 * Big-endian, written whole to {@code <output>.mpft-state.tmp}, forced to disk, then renamed over the
 * state file with {@code ATOMIC_MOVE}; a reader therefore sees either the old or the new state, never a
 * torn one, and a CRC-32C over everything before it catches any other damage:
 * <pre>
 *   magic        8 bytes  "MPFTSTAT"
 *   version      u16      1
 *   size         i64      the file's size on the server, bytes
 *   mtimeMillis  i64      its modification time on the server, ms since the epoch
 *   chunkSize    i32      bytes
 *   server       u16 length + UTF-8
 *   remotePath   u16 length + UTF-8
 *   chunkCount   i32
 *   bitmapLength i32      = ceil(chunkCount / 8)
 *   bitmap       bytes    bit i (byte i / 8, bit i % 8, least significant first) set = chunk i held
 *   crc32c       u32      over every byte above
 * </pre>
 * A chunk is recorded as held only after the part file was forced to disk following its write, so a
 * {@code kill -9} at any moment loses at most the chunks written since the last state write. State writes
 * are batched: at most every {@value #FLUSH_INTERVAL_MS} ms (a background timer) or every
 * {@value #FLUSH_EVERY_CHUNKS} chunks, and on {@link #close()}.
 *
 * <h2>Free space</h2>
 * {@link #open} compares the bytes still missing with {@code FileStore.getUsableSpace()} of the output's
 * folder. Tests may fake the free space with the system property {@value #USABLE_SPACE_PROPERTY} (bytes).
 *
 * <p>Thread-safe: {@link #write} may be called from several threads at once.
 */
final class ChunkManager implements Closeable {

    /** System property (bytes) that replaces the file store's usable space, for tests. */
    static final String USABLE_SPACE_PROPERTY = "mpft.cli.usableSpaceOverride";

    /** Suffix of the partial data file. */
    static final String PART_SUFFIX = ".mpft-part";

    /** Suffix of the state file. */
    static final String STATE_SUFFIX = ".mpft-state";

    static final long FLUSH_INTERVAL_MS = 250;
    static final int FLUSH_EVERY_CHUNKS = 64;

    private static final byte[] MAGIC = "MPFTSTAT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    /** Bigger than any valid state: header + 1 MiB bitmap + two 64 KiB strings. */
    private static final int MAX_STATE_BYTES = 2 * 1024 * 1024;

    /** What file a download is of; a partial download is reused only for the same identity. */
    record FileIdentity(String server, String remotePath, long size, long mtimeMillis, int chunkSize) {
        FileIdentity {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(remotePath, "remotePath");
            plan(size, chunkSize); // checks size and chunk size
        }

        /** How this file is cut into chunks. */
        ChunkPlan plan() {
            return plan(size, chunkSize);
        }

        private static ChunkPlan plan(long size, int chunkSize) {
            ChunkPlan plan = new ChunkPlan(size, chunkSize);
            plan.chunkCount(); // refuses plans over the chunk limit
            return plan;
        }
    }

    private final Path output;
    private final Path part;
    private final Path state;
    private final Path stateTemp;
    private final FileIdentity identity;
    private final ChunkPlan plan;
    private final int chunkCount;
    private final FileChannel channel;
    private final FileLock lock;
    private final int resumedChunks;
    private final String restartReason;

    /** Chunks written (guarded by this). */
    private final BitSet held;
    /** Chunks written since the last state write (guarded by this). */
    private int unflushed;
    /** Set once the state on disk lags {@link #held} (guarded by this). */
    private boolean dirty;
    private boolean closed;
    /** Serialises state writes (force + write + rename), kept apart from the cheap lock on this. */
    private final Object flushLock = new Object();

    /** The whole file's SHA-256, hashed as chunks arrive (thread-safe, like {@link #write}). */
    private final InOrderDigest fileDigest;

    private final ScheduledExecutorService flusher;
    private final ScheduledFuture<?> flushTask;

    private ChunkManager(Path output, FileIdentity identity, FileChannel channel, FileLock lock, BitSet held,
                         String restartReason) {
        this.output = output;
        this.part = sibling(output, PART_SUFFIX);
        this.state = sibling(output, STATE_SUFFIX);
        this.stateTemp = sibling(output, STATE_SUFFIX + ".tmp");
        this.identity = identity;
        this.plan = identity.plan();
        this.chunkCount = plan.chunkCount();
        this.channel = channel;
        this.lock = lock;
        this.held = held;
        this.resumedChunks = held.cardinality();
        this.restartReason = restartReason;
        this.fileDigest = new InOrderDigest(plan, channel, held);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mpft-state-" + output.getFileName());
            t.setDaemon(true);
            return t;
        });
        this.flushTask = flusher.scheduleWithFixedDelay(this::flushQuietly, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Opens (resumes) or creates the partial download of a file.
     *
     * @param output   the final file; {@code <output>.mpft-part} and {@code <output>.mpft-state} go next to it
     * @param identity the server's file
     * @param resume   false to throw away any partial download and start over
     * @throws MpftException {@link ErrorCode#INSUFFICIENT_SPACE} when the output's file system lacks room for
     *                       the bytes still missing
     * @throws IOException   when the files cannot be created, or another process holds the part file
     */
    static ChunkManager open(Path output, FileIdentity identity, boolean resume) throws MpftException, IOException {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(identity, "identity");
        output = output.toAbsolutePath().normalize();
        Path part = sibling(output, PART_SUFFIX);
        Path state = sibling(output, STATE_SUFFIX);
        ChunkPlan plan = identity.plan();
        int count = plan.chunkCount();

        BitSet held = new BitSet(count);
        String reason = null;
        boolean oldFiles = Files.exists(part) || Files.exists(state);
        if (oldFiles) {
            if (!resume) {
                reason = "resume was turned off";
            } else {
                StateRead read = readState(state, part, identity);
                if (read.held != null) {
                    held = read.held;
                } else {
                    reason = read.reason;
                }
            }
        }

        long missing = missingBytes(plan, held);
        // a restart frees what the old part file takes
        long reclaimable = reason != null && Files.exists(part) ? Files.size(part) : 0;
        Path folder = output.getParent();
        long usable = usableSpace(folder);
        if (missing > usable + reclaimable) {
            throw new MpftException(ErrorCode.INSUFFICIENT_SPACE, "not enough disk space for " + output + ": "
                    + missing + " bytes needed, " + (usable + reclaimable) + " bytes free in " + folder);
        }

        FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another mpft process is downloading to " + output);
        }
        try {
            if (reason != null || !oldFiles) {
                channel.truncate(0);
                held = new BitSet(count);
            } else if (channel.size() > plan.fileSize()) {
                channel.truncate(plan.fileSize());
            }
            ChunkManager manager = new ChunkManager(output, identity, channel, lock, held, reason);
            manager.flush(); // the identity is on disk before the first chunk
            return manager;
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /** The chunks held on disk (verified, written); a copy. */
    BitSet held() {
        synchronized (this) {
            return (BitSet) held.clone();
        }
    }

    /** The chunks found in a partial download at {@link #open}. */
    int resumedChunks() {
        return resumedChunks;
    }

    /** Null, or why an old partial download was discarded (e.g. the file changed on the server). */
    String restartReason() {
        return restartReason;
    }

    /** The plan of the file. */
    ChunkPlan plan() {
        return plan;
    }

    /**
     * Writes a verified chunk at its offset and records it as held. A chunk already held is not written
     * again. The buffer's position is left alone.
     *
     * @param index         the chunk, from 0
     * @param verifiedBytes exactly {@code plan().length(index)} bytes between position and limit
     * @throws IllegalArgumentException when the index or the length does not fit the plan
     */
    void write(int index, ByteBuffer verifiedBytes) throws IOException {
        if (index < 0 || index >= chunkCount) {
            throw new IllegalArgumentException("chunk " + index + " out of range [0, " + chunkCount + ")");
        }
        if (verifiedBytes.remaining() != plan.length(index)) {
            throw new IllegalArgumentException("chunk " + index + " has " + verifiedBytes.remaining()
                    + " bytes, the plan says " + plan.length(index));
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("the download of " + output + " is closed");
            }
            if (held.get(index)) {
                return;
            }
        }
        ByteBuffer view = verifiedBytes.duplicate();
        long position = plan.offset(index);
        while (view.hasRemaining()) {
            position += channel.write(view, position);
        }
        fileDigest.written(index, verifiedBytes);
        boolean flushNow;
        synchronized (this) {
            held.set(index);
            dirty = true;
            flushNow = ++unflushed >= FLUSH_EVERY_CHUNKS;
        }
        if (flushNow) {
            flush();
        }
    }

    /** True when every chunk is held. */
    boolean isComplete() {
        synchronized (this) {
            return held.cardinality() == chunkCount;
        }
    }

    /**
     * Fsyncs the part file, computes its SHA-256, renames it atomically to the output and deletes the
     * state file.
     *
     * @return the file's SHA-256, lower-case hex
     * @throws MpftException {@link ErrorCode#INTERNAL_ERROR} when a chunk is missing (nothing is renamed)
     */
    String finish() throws IOException, MpftException {
        synchronized (this) {
            if (closed) {
                throw new IOException("the download of " + output + " is closed");
            }
            int have = held.cardinality();
            if (have != chunkCount) {
                throw new MpftException(ErrorCode.INTERNAL_ERROR, "the download of " + output + " is incomplete: "
                        + have + " of " + chunkCount + " chunks held");
            }
            closed = true;
        }
        stopFlusher();
        synchronized (flushLock) {
            try {
                if (channel.size() != plan.fileSize()) {
                    channel.truncate(plan.fileSize());
                }
                channel.force(true);
                String sha256 = fileDigest.finish();
                lock.release();
                channel.close();
                Files.move(part, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncFolder(output.getParent());
                Files.deleteIfExists(state);
                Files.deleteIfExists(stateTemp);
                return sha256;
            } finally {
                if (channel.isOpen()) {
                    channel.close();
                }
            }
        }
    }

    /** Writes the state and closes the part file; the partial download stays for a later resume. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopFlusher();
        try {
            flush();
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private void stopFlusher() {
        flushTask.cancel(false);
        flusher.shutdown();
        try {
            // a state write in progress finishes before the channel closes
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushQuietly() {
        try {
            boolean due;
            synchronized (this) {
                due = dirty && !closed;
            }
            if (due) {
                flush();
            }
        } catch (IOException e) {
            // the next flush or close() retries; a lost state write only costs a re-download of chunks
        }
    }

    /** Forces the data, then writes the state of every chunk written before the force. */
    void flush() throws IOException {
        synchronized (flushLock) {
            BitSet snapshot;
            synchronized (this) {
                snapshot = (BitSet) held.clone();
                dirty = false;
                unflushed = 0;
            }
            try {
                channel.force(false);
                writeState(snapshot);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    dirty = true;
                }
                throw e;
            }
        }
    }

    private void writeState(BitSet snapshot) throws IOException {
        byte[] bytes = encodeState(identity, snapshot);
        try (FileChannel out = FileChannel.open(stateTemp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(stateTemp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(stateTemp, state, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static byte[] encodeState(FileIdentity identity, BitSet held) {
        ChunkPlan plan = identity.plan();
        int count = plan.chunkCount();
        byte[] server = identity.server().getBytes(StandardCharsets.UTF_8);
        byte[] path = identity.remotePath().getBytes(StandardCharsets.UTF_8);
        if (server.length > 0xFFFF || path.length > 0xFFFF) {
            throw new IllegalArgumentException("server or remote path too long for the state file");
        }
        int bitmapLength = (count + 7) / 8;
        ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 2 + 8 + 8 + 4 + 2 + server.length + 2 + path.length
                + 4 + 4 + bitmapLength + 4);
        buffer.put(MAGIC).putShort((short) VERSION).putLong(identity.size()).putLong(identity.mtimeMillis())
                .putInt(identity.chunkSize())
                .putShort((short) server.length).put(server)
                .putShort((short) path.length).put(path)
                .putInt(count).putInt(bitmapLength);
        byte[] bitmap = held.toByteArray(); // little-endian bit order, trailing zero bytes dropped
        buffer.put(bitmap, 0, Math.min(bitmap.length, bitmapLength));
        buffer.position(buffer.position() + bitmapLength - Math.min(bitmap.length, bitmapLength));
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.array();
    }

    /** Either the held chunks of a reusable partial download, or why it is not reusable. */
    private record StateRead(BitSet held, String reason) {
    }

    private static StateRead readState(Path state, Path part, FileIdentity expected) throws IOException {
        if (!Files.exists(part)) {
            return new StateRead(null, "the partial file " + part.getFileName() + " is missing");
        }
        byte[] bytes;
        try {
            if (Files.size(state) > MAX_STATE_BYTES) {
                return new StateRead(null, "the state file " + state.getFileName() + " is damaged (too large)");
            }
            bytes = Files.readAllBytes(state);
        } catch (NoSuchFileException e) {
            return new StateRead(null, "the state file " + state.getFileName() + " is missing");
        }
        FileIdentity found;
        BitSet held;
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
                    || buffer.remaining() != bitmapLength + 4) {
                throw new IllegalStateException("inconsistent lengths");
            }
            byte[] bitmap = new byte[bitmapLength];
            buffer.get(bitmap);
            held = BitSet.valueOf(bitmap);
            if (held.length() > count) {
                throw new IllegalStateException("chunk bits beyond the end");
            }
        } catch (RuntimeException e) {
            // BufferUnderflowException, IllegalArgumentException from the plan, IllegalStateException above
            return new StateRead(null, "the state file " + state.getFileName() + " is damaged ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        String changed = describeChange(found, expected);
        if (changed != null) {
            return new StateRead(null, changed);
        }
        // every chunk the state claims must lie inside the part file
        long partSize = Files.size(part);
        int last = held.length() - 1;
        if (last >= 0) {
            ChunkPlan plan = expected.plan();
            if (plan.offset(last) + plan.length(last) > partSize) {
                return new StateRead(null, "the partial file " + part.getFileName() + " is shorter than its state says");
            }
        }
        return new StateRead(held, null);
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

    private static long missingBytes(ChunkPlan plan, BitSet held) {
        long missing = plan.fileSize();
        for (int i = held.nextSetBit(0); i >= 0; i = held.nextSetBit(i + 1)) {
            missing -= plan.length(i);
        }
        return missing;
    }

    private static long usableSpace(Path folder) throws IOException {
        String fake = System.getProperty(USABLE_SPACE_PROPERTY);
        if (fake != null && !fake.isBlank()) {
            return Long.parseLong(fake.trim());
        }
        return Files.getFileStore(folder).getUsableSpace();
    }

    private static void syncFolder(Path folder) {
        // makes the rename durable; some platforms cannot open a folder, the rename is still atomic there
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    static Path sibling(Path output, String suffix) {
        return output.resolveSibling(output.getFileName() + suffix);
    }
}

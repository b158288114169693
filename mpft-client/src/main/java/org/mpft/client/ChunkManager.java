package org.mpft.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.BitSet;
import java.util.Objects;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Holds one download on disk: verified chunks are written in place into {@code <output>.mpft-part}
 * (positional writes, no reassembly in memory) and recorded in {@code <output>.mpft-state}
 * ({@link StateFile}, its format); when every chunk is held, {@link #finish()} fsyncs and renames the part
 * file to the output atomically; the file's SHA-256 is computed on the way or taken from the primary
 * ({@link InOrderDigest}), not by reading the whole file again at the end. A file under the output's name is
 * therefore always complete and verified.
 *
 * <p>A chunk is recorded as held only after the part file was forced to disk following its write, so a
 * {@code kill -9} at any moment loses at most the chunks written since the last state write. State writes
 * are batched: whenever the {@link FlushTimer} fires (every {@value FlushTimer#INTERVAL_MS} ms in
 * production), every {@value #FLUSH_EVERY_CHUNKS} chunks, and on {@link #close()}.
 *
 * <p>A file of at most one chunk keeps no state: there is nothing inside one chunk to resume, so neither the
 * state writes nor their timer are worth their fsyncs. Its part file still takes the bytes and is fsynced before
 * the rename; a part file left without a state is started over by the next run.
 *
 * <p>{@link #open} compares the bytes still missing with the {@link FreeSpace} of the output's folder
 * before it creates any file.
 *
 * <p>Thread-safe: {@link #write} may be called from several threads at once.
 */
final class ChunkManager implements Closeable {

    /** Suffix of the partial data file. */
    static final String PART_SUFFIX = ".mpft-part";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChunkManager.class);

    /** Suffix of the state file. */
    static final String STATE_SUFFIX = ".mpft-state";

    /** A state write after this many chunks, whatever the timer does. */
    static final int FLUSH_EVERY_CHUNKS = 64;

    private final Path output;
    private final Path part;
    private final StateFile state;
    private final FileIdentity identity;
    private final ChunkPlan plan;
    private final int chunkCount;
    private final FileChannel channel;
    private final FileLock lock;
    private final int resumedChunks;
    private final int rejectedChunks;
    private final String restartReason;
    /** False for a file of at most one chunk: no state is written ({@link #keepsState}). */
    private final boolean keepsState;

    /** Chunks written (guarded by this). */
    private final BitSet held;
    /** The CRC-32C of each held chunk as written, recorded in the state (guarded by this). */
    private final int[] checksums;
    /** Chunks written since the last state write (guarded by this). */
    private int unflushed;
    /** Set once the state on disk lags {@link #held} (guarded by this). */
    private boolean dirty;
    private boolean closed;
    /** Serialises state writes (force + write + rename), kept apart from the cheap lock on this. */
    private final Object flushLock = new Object();

    /** The whole file's SHA-256, hashed as chunks arrive (thread-safe, like {@link #write}). */
    private final InOrderDigest fileDigest;

    private final FlushTimer.Stop flushTimer;

    private ChunkManager(Path output, FileIdentity identity, FileChannel channel, FileLock lock, BitSet held,
                         int[] checksums, int rejectedChunks, String restartReason, FlushTimer timer) {
        this.output = output;
        this.part = sibling(output, PART_SUFFIX);
        this.state = new StateFile(sibling(output, STATE_SUFFIX));
        this.identity = identity;
        this.plan = identity.plan();
        this.chunkCount = plan.chunkCount();
        this.channel = channel;
        this.lock = lock;
        this.held = held;
        this.checksums = checksums;
        this.rejectedChunks = rejectedChunks;
        this.resumedChunks = held.cardinality();
        this.restartReason = restartReason;
        this.fileDigest = new InOrderDigest(plan, channel, held);
        this.keepsState = keepsState(plan);
        this.flushTimer = keepsState ? timer.start("mpft-state-" + output.getFileName(), this::flushQuietly) : () -> { };
    }

    /**
     * Opens (resumes) or creates the partial download of a file.
     *
     * @param output   the final file; {@code <output>.mpft-part} and {@code <output>.mpft-state} go next to it
     * @param identity the server's file
     * @param resume   false to throw away any partial download and start over
     * @param space    the free space of the output's folder ({@link FreeSpace#FILE_STORE})
     * @param timer    calls the batched state write ({@link FlushTimer#DAEMON})
     * @param user     who must own a part or state file before it is reused ({@link LocalUser#PROCESS})
     * @throws MpftException {@link ErrorCode#INSUFFICIENT_SPACE} when the output's file system lacks room for
     *                       the bytes still missing; {@link ErrorCode#INVALID_PATH} when a part, state or
     *                       temporary state file is a symbolic link, not a regular file, or someone else's
     *                       ({@link LocalFiles}): nothing is written then
     * @throws IOException   when the files cannot be created, or another process holds the part file
     */
    static ChunkManager open(Path output, FileIdentity identity, boolean resume, FreeSpace space, FlushTimer timer,
                             LocalUser user) throws MpftException, IOException {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(user, "user");
        output = output.toAbsolutePath().normalize();
        Path part = sibling(output, PART_SUFFIX);
        StateFile state = new StateFile(sibling(output, STATE_SUFFIX));
        ChunkPlan plan = identity.plan();
        int count = plan.chunkCount();

        // every file of ours is checked before anything is read or written: no link, no one else's file
        UserPrincipal owner = user.principal();
        BasicFileAttributes oldPart = LocalFiles.checkOwned(part, owner);
        boolean oldState = LocalFiles.checkOwned(state.path(), owner) != null;
        if (LocalFiles.checkOwned(state.temporary(), owner) != null) {
            Files.deleteIfExists(state.temporary()); // left by a crash between a state write and its rename
        }
        BitSet held = new BitSet(count);
        int[] checksums = new int[count];
        String reason = null;
        boolean oldFiles = oldPart != null || oldState;
        if (oldFiles) {
            if (!resume) {
                reason = "resume was turned off";
            } else {
                StateFile.Read read = state.read(part, identity);
                if (read.held() != null) {
                    held = read.held();
                    checksums = read.checksums();
                } else {
                    reason = read.reason();
                }
            }
        }

        long missing = KeptChunks.missingBytes(plan, held);
        // a restart frees what the old part file takes
        long reclaimable = reason != null && oldPart != null ? oldPart.size() : 0;
        space.requireRoom(output, missing, reclaimable);

        FileChannel channel = oldPart == null ? LocalFiles.createNew(part, StandardOpenOption.READ)
                : LocalFiles.openChecked(part, oldPart, owner, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
        ChunkManager manager = null;
        try {
            int rejected = 0;
            if (reason != null || !oldFiles) {
                channel.truncate(0);
                held = new BitSet(count);
                checksums = new int[count];
            } else {
                if (channel.size() > plan.fileSize()) {
                    channel.truncate(plan.fileSize());
                }
                // a kept chunk is trusted only once its bytes match the checksum recorded when it was written
                rejected = KeptChunks.verify(channel, plan, held, checksums);
            }
            manager = new ChunkManager(output, identity, channel, lock, held, checksums, rejected, reason, timer);
            if (oldFiles && reason == null) {
                manager.flush(); // a resume: what survived the check is on disk before the first new chunk
            } else if (oldState) {
                state.delete(); // a restart: the old content's state goes with it
            }
            // otherwise the first state is written by the first flush that has chunks to record (a batch of
            // small files mostly ends before that: a state file is two file creations each)
            return manager;
        } catch (IOException | RuntimeException e) {
            if (manager != null) {
                manager.flushTimer.stop(); // no timer thread outlives a download that did not open
            }
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

    /** Kept chunks whose bytes no longer matched their recorded checksum at {@link #open}: fetched again. */
    int rejectedChunks() {
        return rejectedChunks;
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
        int crc = KeptChunks.checksum(verifiedBytes);
        boolean flushNow;
        synchronized (this) {
            checksums[index] = crc;
            held.set(index);
            dirty = true;
            flushNow = ++unflushed >= FLUSH_EVERY_CHUNKS;
        }
        if (flushNow) {
            flush();
        }
    }

    /** The file's SHA-256 as it is computed, or taken from the primary. */
    InOrderDigest fileDigest() {
        return fileDigest;
    }

    /** True when every chunk is held. */
    boolean isComplete() {
        synchronized (this) {
            return held.cardinality() == chunkCount;
        }
    }

    /** {@link #seal()} then {@link #commit()}: returns the SHA-256 of a file now durable under the output's name. */
    String finish() throws IOException, MpftException {
        String sha256 = seal();
        commit();
        return sha256;
    }

    /**
     * Ends the writes of a complete download and returns the file's SHA-256 (lower-case hex); nothing is under
     * the output's name yet, {@link #commit()} must follow ({@link #close()} does nothing any more).
     *
     * @throws MpftException {@link ErrorCode#INTERNAL_ERROR} when a chunk is missing (the download stays open)
     */
    String seal() throws IOException, MpftException {
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
        flushTimer.stop();
        synchronized (flushLock) {
            try {
                if (channel.size() != plan.fileSize()) {
                    channel.truncate(plan.fileSize());
                }
                return fileDigest.finish();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    /**
     * Makes a {@link #seal() sealed} download durable under the output's name (fsync, the server's mtime, atomic
     * rename, folder fsync) and deletes the state file. May run on another thread than the writes.
     */
    void commit() throws IOException {
        synchronized (flushLock) {
            try {
                channel.force(true);
                lock.release();
                channel.close();
                if (identity.mtimeMillis() > 0) {
                    // the server's modification time, as scp -p and rsync -t keep it: set before the rename so the
                    // file never appears under its name with the time of the download
                    Files.setLastModifiedTime(part, FileTime.fromMillis(identity.mtimeMillis()));
                }
                // rename(2): a symbolic link planted under the output's name is replaced, never followed
                Files.move(part, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LocalFiles.syncFolder(output.getParent());
                state.delete();
            } finally {
                if (channel.isOpen()) {
                    channel.close();
                }
            }
        }
    }

    /** Reads part file bytes at {@code position} (positional, thread-safe; for {@link KeptChunkCheck}). */
    int readBack(ByteBuffer dst, long position) throws IOException {
        return channel.read(dst, position);
    }

    /** {@link #close()}, logging a failure to save the state instead of throwing it. */
    void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            LOG.warn("cannot save the partial download's state: {}", e.getMessage());
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
        flushTimer.stop();
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

    /**
     * True when a download of {@code plan} records its held chunks in a state file: a file of more than one
     * chunk. One chunk is held whole or not at all, so a resume could only start it over.
     */
    static boolean keepsState(ChunkPlan plan) {
        return plan.chunkCount() > 1;
    }

    /**
     * Forces the data, then writes the state of every chunk written before the force; does nothing for a file
     * that keeps no state ({@link #keepsState}).
     */
    void flush() throws IOException {
        if (!keepsState) {
            return;
        }
        synchronized (flushLock) {
            BitSet snapshot;
            int[] crcs;
            synchronized (this) {
                snapshot = (BitSet) held.clone();
                crcs = checksums.clone();
                dirty = false;
                unflushed = 0;
            }
            try {
                channel.force(false);
                state.write(identity, snapshot, crcs);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    dirty = true;
                }
                throw e;
            }
        }
    }

    static Path sibling(Path output, String suffix) {
        return output.resolveSibling(output.getFileName() + suffix);
    }
}

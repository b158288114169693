package org.mpft.plugin.primary;

import io.netty.buffer.ByteBuf;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.ChunkPlan;
import org.mpft.transport.ChunkBuffers;

/**
 * The primary's own digests of a transfer's chunks, computed ahead of the secondaries: it reads the file
 * in chunk order on the primary's digest threads, in turns of at least {@value #BATCH} chunks that end with a frame
 * (every transfer waiting there gets its turn in between), and in growing batches (1, 2, 4 ... up to {@value #BATCH} chunks) hands a CHUNK_DIGESTS
 * frame to the session, which sends it to the client and then lets secondaries have those chunks. A
 * secondary's chunk is thus always checked by the client against the primary's copy, and the primary
 * compares each CHUNK_SENT checksum with its digest (a mismatch: the secondary's copy is stale). For a client
 * that resumes without secondaries, only the chunks it kept are read and sent (in runs of consecutive chunks),
 * so that it checks them against this copy before it trusts them.
 *
 * <p>Reading every chunk of a file of at least {@value #MIN_STORED_CHUNKS} chunks, it also hashes the whole file
 * (SHA-256) from the same buffer, and hands that digest on after the last CHUNK_DIGESTS frame: the client of a
 * multi-path transfer takes it as the file's digest instead of hashing the file itself
 * ({@link org.mpft.protocol.FileDigest}). It is kept in the store with the chunks', so it costs one read of each
 * file version. A smaller file is not worth the wait: the client hashes it as its chunks arrive.
 *
 * <p>Digests of a file version (user, path, size, mtime, chunk size, algorithm) are kept in the
 * {@link DigestStore}: in memory, so a second download of the same file starts with all of them, and in the
 * data folder, so a restarted primary does not read the file again either: for a file of at least
 * {@value #MIN_STORED_CHUNKS} chunks. A file of fewer (a small file split into one chunk per path) is read again
 * in about the time the store's create and rename of a digest file take, and a tree of such files would
 * otherwise cost a file in the data folder each.
 *
 * <p>The chunk being hashed is read into a buffer from the pooled {@link ChunkBuffers#ALLOCATOR}, taken at the first
 * chunk that is not already known and given back when the reading ends: a fresh direct buffer per file (zeroed and
 * faulted in, then freed) was a few percent of a primary's CPU over a tree of small files.
 */
final class DigestAhead {

    /**
     * The most chunks per CHUNK_DIGESTS frame. The first frames are smaller (1, 2, 4, 8 ... chunks) so
     * that secondaries can start at once.
     */
    static final int BATCH = 16;

    /** The fewest chunks of a file whose digests are kept on disk. */
    static final int MIN_STORED_CHUNKS = 8;

    private final long transferId;
    private final ReadableFile file;
    private final ChunkPlan plan;
    private final ChecksumAlgorithm algorithm;
    private final DigestStore.Version version;
    private final byte[][] digests;
    /** The whole file's SHA-256 when the store had it, else null until {@link #run} computed it. */
    private volatile byte[] fileDigest;
    private final DigestStore store;
    private final java.util.BitSet only;
    private final boolean cachedInMemory;
    private volatile boolean fromStore;
    private volatile boolean stopped;
    private volatile int frontier;

    /**
     * @param transferId the transfer the CHUNK_DIGESTS frames are for
     * @param user       who downloads (part of the file version)
     * @param path       the requested path
     * @param file       the open file
     * @param plan       how the file is cut into chunks
     * @param algorithm  the digest algorithm
     * @param store      where the digests of file versions are kept (and taken from)
     * @param only       the chunks to digest (those a resuming client kept), or null for all of them
     */
    DigestAhead(long transferId, String user, String path, ReadableFile file, ChunkPlan plan,
                ChecksumAlgorithm algorithm, DigestStore store, java.util.BitSet only) {
        this.store = store;
        this.only = only;
        this.transferId = transferId;
        this.file = file;
        this.plan = plan;
        this.algorithm = algorithm;
        this.version = new DigestStore.Version(user, path, plan.fileSize(), file.lastModifiedMillis(),
                plan.chunkSize(), algorithm);
        DigestStore.FileDigests cached = store.remembered(version);
        this.digests = cached != null ? cached.chunks() : new byte[plan.chunkCount()][];
        this.fileDigest = cached != null ? cached.file() : null;
        this.cachedInMemory = cached != null;
    }

    /** True when the digests came from the {@link DigestStore} (not read from the file). */
    boolean fromStore() {
        return fromStore;
    }

    /**
     * Computes (or takes from the cache) every digest, handing out frames as batches complete. The work runs in
     * turns on {@code executor}: a turn goes on to the first frame after {@value #BATCH} chunks (a file of up to that
     * many chunks is one turn) and queues the next turn behind whatever else waits there, so the transfers of a
     * primary share its digest threads instead of the first big file holding one until it has read all of itself.
     *
     * @param executor where the reading runs (the primary's digest threads)
     * @param frames   receives each CHUNK_DIGESTS frame and the frontier it completes (chunks below it)
     * @param file     receives the whole file's SHA-256 after the last frame (only when every chunk is digested, of a
     *                 file of at least {@value #MIN_STORED_CHUNKS} chunks)
     * @param failure  receives a read failure
     */
    void start(Executor executor, BiConsumer<ChunkDigests, Integer> frames, Consumer<byte[]> file,
               Consumer<Exception> failure) {
        Turns turns = new Turns(executor, frames, file, failure);
        turns.queue();
    }

    /** The reading of one transfer's file, in turns; one turn runs at a time, each queueing the next. */
    private final class Turns implements Runnable {
        private final Executor executor;
        private final BiConsumer<ChunkDigests, Integer> frames;
        private final Consumer<byte[]> file;
        private final Consumer<Exception> failure;
        private final boolean onDisk = plan.chunkCount() >= MIN_STORED_CHUNKS;
        private boolean begun;
        /** The whole file's digest on the way: only on a read of every chunk of a file kept on disk. */
        private MessageDigest whole;
        private int next;
        private int batchStart;
        private int batch = 1;

        Turns(Executor executor, BiConsumer<ChunkDigests, Integer> frames, Consumer<byte[]> file,
              Consumer<Exception> failure) {
            this.executor = executor;
            this.frames = frames;
            this.file = file;
            this.failure = failure;
        }

        void queue() {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                failure.accept(e);
            }
        }

        @Override
        public void run() {
            if (!begun) {
                begun = true;
                begin();
            }
            int count = plan.chunkCount();
            ByteBuf pooled = null;
            ByteBuffer buffer = null;
            int turnStart = next;
            boolean turnDone = false;
            try {
                while (next < count && !stopped && !turnDone) {
                    int chunk = next++;
                    if (only != null && !only.get(chunk)) {
                        if (chunk > batchStart) { // the run of wanted chunks before this one
                            frontier = chunk;
                            frames.accept(frame(batchStart, chunk), chunk);
                            turnDone = chunk - turnStart >= BATCH;
                        }
                        batchStart = chunk + 1;
                        continue;
                    }
                    if (digests[chunk] == null) {
                        if (buffer == null) {
                            int capacity = Math.min(plan.chunkSize(), (int) Math.max(1, plan.fileSize()));
                            pooled = ChunkBuffers.ALLOCATOR.directBuffer(capacity, capacity);
                            buffer = pooled.nioBuffer(0, capacity);
                        }
                        digests[chunk] = digest(chunk, buffer, whole);
                    }
                    if (chunk + 1 - batchStart == batch || chunk + 1 == count) {
                        frontier = chunk + 1;
                        frames.accept(frame(batchStart, chunk + 1), chunk + 1);
                        turnDone = chunk + 1 - turnStart >= BATCH;
                        batchStart = chunk + 1;
                        batch = Math.min(BATCH, batch * 2);
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure.accept(e);
                return;
            } finally {
                if (pooled != null) {
                    pooled.release(); // not held between turns: a primary may have many transfers waiting
                }
            }
            if (stopped) {
                return;
            }
            if (next < count) {
                queue();
            } else {
                end();
            }
        }

        private void begin() {
            if (!cachedInMemory && onDisk) {
                // a primary restarted since it computed them: the data folder has them
                store.load(version, plan.chunkCount()).ifPresent(loaded -> {
                    System.arraycopy(loaded.chunks(), 0, digests, 0, plan.chunkCount());
                    fileDigest = loaded.file();
                    fromStore = true;
                });
            }
            // the whole file is hashed only on a read of every chunk (a resuming client's are not all of it), and
            // only of a file whose digests are kept on disk too
            whole = only == null && fileDigest == null && onDisk ? ChecksumAlgorithm.sha256() : null;
        }

        private void end() {
            if (only != null) {
                return;
            }
            if (whole != null) {
                fileDigest = whole.digest();
            }
            DigestStore.FileDigests all = new DigestStore.FileDigests(digests, fileDigest);
            try {
                if (plan.chunkCount() > 0) {
                    store.remember(version, all);
                    if (!cachedInMemory && !fromStore && onDisk) {
                        store.save(version, all);
                    }
                }
            } catch (RuntimeException e) {
                failure.accept(e);
                return;
            }
            if (fileDigest != null) {
                file.accept(fileDigest);
            }
        }
    }

    private byte[] digest(int chunk, ByteBuffer buffer, MessageDigest whole) throws IOException {
        long offset = plan.offset(chunk);
        int length = plan.length(chunk);
        buffer.clear().limit(length);
        while (buffer.hasRemaining()) {
            int n = file.read(buffer, offset + buffer.position());
            if (n < 0) {
                throw new EOFException("the file ended while its digests were computed (chunk " + chunk + ")");
            }
        }
        buffer.flip();
        if (whole != null) {
            whole.update(buffer.duplicate());
        }
        return algorithm.compute(buffer);
    }

    private ChunkDigests frame(int from, int to) {
        byte[] all = new byte[(to - from) * algorithm.length()];
        for (int i = from; i < to; i++) {
            System.arraycopy(digests[i], 0, all, (i - from) * algorithm.length(), algorithm.length());
        }
        return new ChunkDigests(transferId, from, Bytes.of(all));
    }

    /** The digest of {@code chunk}, or null while it is not computed. */
    byte[] digest(int chunk) {
        return chunk < frontier ? digests[chunk] : null;
    }

    /** True when {@code checksum} (a secondary's CHUNK_SENT) equals the primary's digest; false when it differs. */
    boolean matches(int chunk, Bytes checksum) {
        byte[] mine = digest(chunk);
        return mine != null && java.security.MessageDigest.isEqual(mine, checksum.toByteArray());
    }

    /** Stops reading (the transfer ended). */
    void stop() {
        stopped = true;
    }
}

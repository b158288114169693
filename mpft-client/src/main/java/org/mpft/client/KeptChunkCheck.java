package org.mpft.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Checks the chunks a resumed download kept against the server's SHA-256 digests (CHUNK_DIGESTS, which the
 * primary sends for every chunk a START said was held) before the download trusts them: the state file's
 * CRC-32C catches damage on disk, not a file that changed on the server under the same size and time. Each
 * kept chunk is read back from the part file and hashed on a thread of its own as its digest arrives, while new
 * chunks keep arriving; a chunk that differs fails the download with FILE_CHANGED (then
 * {@link ChangedFileRestart} starts the file over from scratch). Digests of chunks not kept are ignored. Memory:
 * one chunk buffer. Used by the download's thread; the hashing runs on one daemon thread.
 */
final class KeptChunkCheck implements AutoCloseable {

    private final PartFile part;
    private final ChunkPlan plan;
    private final BitSet awaited;
    private final String file;
    private final Consumer<DownloadEvent> events;
    private ExecutorService worker;
    private Future<?> last;
    private volatile MpftException failure;
    private ByteBuffer buffer; // the worker's

    /** Positional reads of the part file (thread-safe, like {@code FileChannel.read(dst, position)}). */
    @FunctionalInterface
    interface PartFile {
        int read(ByteBuffer dst, long position) throws IOException;
    }

    /**
     * @param part   the part file, open for reading
     * @param plan   the chunk plan
     * @param kept   the chunks kept from the partial download (copied)
     * @param file   the remote path, for the message
     * @param events where a mismatch is reported at once ({@link DownloadEvent.Failed}), so the download stops
     */
    KeptChunkCheck(PartFile part, ChunkPlan plan, BitSet kept, String file, Consumer<DownloadEvent> events) {
        this.part = part;
        this.plan = plan;
        this.awaited = (BitSet) kept.clone();
        this.file = file;
        this.events = events;
    }

    /** True while a kept chunk's digest has not arrived yet. */
    boolean awaitingDigests() {
        return !awaited.isEmpty();
    }

    /** Digests arrived: the kept chunks among them are read back and hashed in the background. */
    void onDigests(ChunkDigests digests) {
        byte[] all = digests.digests().toByteArray();
        int length = ChecksumAlgorithm.SHA256.length();
        for (int i = 0; i < all.length / length; i++) {
            int chunk = digests.firstChunk() + i;
            if (chunk < plan.chunkCount() && awaited.get(chunk)) {
                awaited.clear(chunk);
                byte[] expected = java.util.Arrays.copyOfRange(all, i * length, (i + 1) * length);
                if (worker == null) {
                    worker = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "mpft-kept-chunks");
                        t.setDaemon(true);
                        return t;
                    });
                }
                last = worker.submit(() -> check(chunk, expected));
            }
        }
    }

    /**
     * Waits until every kept chunk was hashed (all digests must have arrived: {@link #awaitingDigests()} false).
     *
     * @throws MpftException FILE_CHANGED when a kept chunk is not the server's
     */
    void finish() throws MpftException, InterruptedException {
        if (last != null) {
            try {
                last.get(); // one thread, in order: the last one done means all are
            } catch (ExecutionException e) {
                throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot read back the kept chunks of " + file
                        + ": " + e.getCause(), e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void check(int chunk, byte[] expected) {
        if (failure != null) {
            return;
        }
        try {
            if (buffer == null) {
                buffer = ByteBuffer.allocate(plan.chunkSize());
            }
            buffer.clear().limit(plan.length(chunk));
            long position = plan.offset(chunk);
            while (buffer.hasRemaining() && part.read(buffer, position + buffer.position()) >= 0) {
                // positional reads until the chunk is in
            }
            buffer.flip();
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(buffer);
            if (!MessageDigest.isEqual(sha256.digest(), expected)) {
                failure = new MpftException(ErrorCode.FILE_CHANGED, "kept chunk " + chunk + " of " + file
                        + " differs from the server's copy: the file changed on the server since the partial "
                        + "download began");
                events.accept(new DownloadEvent.Failed(failure));
            }
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}

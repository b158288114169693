package org.mpft.client;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.mpft.protocol.MpftException;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * Downloads files from mpft servers, one ({@link #download}) or many in one run ({@link #downloadBatch}), and lists their folders ({@link #openListing}, {@link #list}). One client owns {@link #eventLoopThreads()} QUIC event loop threads:
 * every connection (the primary's and each secondary's) binds its own datagram channel, and channels take
 * the threads in turn, so the paths of a multi-path download are received on different cores instead of
 * queueing behind one thread. It starts one thread per download for the conversation, the checksums and
 * the disk writes, and per batch one thread per session plus one that reports progress and ends it. Thread-safe; reuse one client
 * for many downloads and close it at the end.
 *
 * <pre>{@code
 * try (FileTransferClient client = new FileTransferClient()) {
 *     DownloadResult result = client.download(request, ProgressListener.NONE);
 * }
 * }</pre>
 */
public final class FileTransferClient implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final QuicTransport transport;
    /**
     * Streams a client lets each server have open at once: every chunk travels on its own stream and a path
     * has at most {@code mpft.window} (at most 256) chunks in flight, so this bounds what a server can make
     * the client buffer to this many chunks of at most the plan's chunk size each, instead of QUIC's default.
     */
    static final int MAX_SERVER_STREAMS = 288;

    private final TransportSettings settings = clientSettings();
    private final Set<DownloadTask> running = ConcurrentHashMap.newKeySet();
    private final Set<BatchRun> batches = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Starts the client's event loop.
     *
     * @throws IllegalStateException when the QUIC native library cannot load on this platform
     */
    public FileTransferClient() {
        this.transport = QuicTransport.create("mpft-client", eventLoopThreads());
    }

    /** The transport defaults with the stream limit of {@link #MAX_SERVER_STREAMS}. */
    static TransportSettings clientSettings() {
        TransportSettings d = TransportSettings.defaults();
        return new TransportSettings(d.idleTimeout(), d.connectionWindow(), d.streamWindow(), MAX_SERVER_STREAMS,
                d.maxUdpPayload(), d.gsoSegments(), d.socketBufferBytes());
    }

    /**
     * The event loop threads of a client: one per processor, at least 2 (a primary and a secondary path)
     * and at most 4 (a connection's packets are handled by one thread whatever the count).
     */
    static int eventLoopThreads() {
        return Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Starts a download in the background and returns at once.
     *
     * @param request  what to download, from where, to where
     * @param listener receives progress snapshots about every 200 ms and once at the end, on the download's
     *                 thread; {@link ProgressListener#NONE} for none
     * @return the running download
     * @throws IllegalStateException when the client is closed
     */
    public Download start(DownloadRequest request, ProgressListener listener) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        DownloadTask task = new DownloadTask(transport, settings, request, listener,
                SessionSource.single(transport, settings), null);
        running.add(task);
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } finally {
                running.remove(task);
            }
        }, "mpft-download-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /**
     * Downloads a file and waits for the end. An interrupt of the waiting thread cancels the download.
     *
     * @return the verified file's summary
     * @throws MpftException        why it failed, with the error code of the failure
     * @throws InterruptedException when interrupted while waiting (the download is cancelled)
     */
    public DownloadResult download(DownloadRequest request, ProgressListener listener)
            throws MpftException, InterruptedException {
        Download download = start(request, listener);
        try {
            return download.await();
        } catch (InterruptedException e) {
            download.cancel();
            throw e;
        }
    }

    /**
     * Starts a batch of files in the background and returns at once: {@link BatchRequest#sessions()} logged-in
     * sessions fetch the files, up to {@link BatchRequest#transfersPerSession()} at once each when the server
     * speaks transfer streams, else one after another (a file of several chunks still over every path its
     * primary offers), the bigger files biggest first with the small ones dealt in among them. A file that fails is reported in its {@link FileOutcome} and the others go
     * on (unless {@link BatchRequest#failFast()}); a refused file (missing, not readable) keeps its session; a
     * session that dies is replaced. Every file lands atomically under its name with the server's modification
     * time; finished files are recorded in a manifest ({@code .mpft-batch} in the folder holding every output,
     * deleted when the whole batch succeeded) so that a later run with {@link BatchRequest#resume()} skips them
     * after checking their SHA-256. A file with the listed size and modification time but no manifest entry is
     * skipped too (as rsync's quick check does); partial files continue from their {@code .mpft-part}.
     *
     * @param listener hears progress about every 200 ms and each file's end; {@link BatchListener#NONE} for none
     * @throws IllegalStateException when the client is closed
     */
    public Batch startBatch(BatchRequest request, BatchListener listener) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        BatchRun[] self = new BatchRun[1];
        java.util.concurrent.locks.Lock logins = new java.util.concurrent.locks.ReentrantLock();
        BatchRun batch = new BatchRun(request, listener,
                (file, sessions, finisher) -> new DownloadTask(transport, settings, file, ProgressListener.NONE,
                        sessions, finisher),
                () -> SessionSource.kept(transport, settings, logins, request.transfersPerSession()),
                () -> batches.remove(self[0]));
        self[0] = batch;
        batches.add(batch);
        batch.start();
        return batch;
    }

    /**
     * Downloads a batch of files ({@link #startBatch}) and waits for the end. An interrupt of the waiting thread
     * cancels the batch (partial files are kept for a later run) and waits for it to stop.
     *
     * @return one outcome per file; look at {@link BatchResult#failures()}
     * @throws InterruptedException when interrupted while waiting (the batch is cancelled)
     */
    public BatchResult downloadBatch(BatchRequest request, BatchListener listener) throws InterruptedException {
        Batch batch = startBatch(request, listener);
        try {
            return batch.await();
        } catch (InterruptedException e) {
            batch.cancel();
            try {
                batch.await();
            } catch (InterruptedException again) {
                // interrupted twice: stop waiting
            }
            throw e;
        }
    }

    /**
     * Connects to a server and logs in for listing folders; see {@link RemoteListing}. Several pages and
     * folders can then be listed on one connection.
     *
     * @throws MpftException        why the connection or the login failed
     * @throws IllegalStateException when the client is closed
     */
    public RemoteListing openListing(ListingRequest request) throws MpftException, InterruptedException {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        return RemoteListing.open(transport, settings, request);
    }

    /**
     * Lists one page of a folder on its own connection ({@link RemoteListing#page}).
     *
     * @throws MpftException why the listing failed, with its error code
     */
    public org.mpft.protocol.Listing list(ListingRequest request, String path, String after, int max)
            throws MpftException, InterruptedException {
        try (RemoteListing listing = openListing(request)) {
            return listing.page(path, after, max);
        }
    }

    /**
     * Lists every entry of a folder on its own connection, at most {@code maxEntries} ({@link RemoteListing#all}).
     *
     * @throws MpftException why the listing failed; LIMIT_EXCEEDED when the folder holds more entries
     */
    public java.util.List<org.mpft.protocol.ListingEntry> listAll(ListingRequest request, String path, int maxEntries)
            throws MpftException, InterruptedException {
        try (RemoteListing listing = openListing(request)) {
            return listing.all(path, maxEntries);
        }
    }

    /** Cancels the downloads still running and stops the event loop. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (BatchRun batch : batches) {
            batch.cancel();
        }
        for (BatchRun batch : batches) {
            try {
                batch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (DownloadTask task : running) {
            task.cancel();
        }
        for (DownloadTask task : running) {
            try {
                task.await();
            } catch (MpftException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        transport.close();
    }

    /**
     * Plans a many-file download as {@code scp [-r] SRC... DEST} does ({@link FileSelection#plan}): logs in once
     * for listing, expands the sources' patterns against the server's listings and walks their folders
     * ({@link RemoteTree} with its default bounds), and names every output under {@code destination}
     * ({@link OutputNames}). Hand the plan's files to {@link #downloadBatch} in a {@link BatchRequest}.
     *
     * @param request     where and as whom to list
     * @param sources     remote paths relative to the user's root, with shell patterns in any segment
     * @param destination the local file or folder
     * @param recursive   true to fetch folders with everything below them
     * @throws MpftException why the login failed, or INVALID_PATH when several files need a folder
     */
    public FileSelection.Plan select(ListingRequest request, java.util.List<String> sources,
                                     java.nio.file.Path destination, boolean recursive)
            throws MpftException, InterruptedException {
        try (RemoteListing listing = openListing(request)) {
            return FileSelection.plan(RemoteTree.of(listing), sources, destination, recursive);
        }
    }
}

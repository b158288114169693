package org.mpft.plugin.primary;

import io.netty.handler.codec.quic.QuicChannel;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.plugin.schedule.ChunkSizePolicy;
import org.mpft.plugin.send.ChunkPrefetcher;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.ChunkSource;
import org.mpft.plugin.send.SendBudget;
import org.mpft.plugin.send.Transfer;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Features;
import org.mpft.protocol.Open;
import org.mpft.protocol.Strategy;

/**
 * What every primary transfer of one listener shares, and where they are made: the settings, the I/O pool,
 * the chunk read pipeline, the digests (their threads and their store), the secondaries and the transfer ids.
 * Thread-safe.
 */
public final class PrimaryTransfers {

    private final TransferSettings settings;
    private final Executor io;
    private final Executor digestPool;
    private final ChunkSource chunks;
    private final ChunkReader reader;
    private final ChunkPrefetcher.Pool prefetch;
    private final DigestStore digestStore;
    private final PrimaryCluster cluster;
    private final SendBudget budget;
    private final long connectionBytes;
    private final AtomicLong ids;

    /**
     * @param settings    the transfers' settings
     * @param io          runs chunk reads
     * @param digestPool  runs {@link DigestAhead} (threads of their own: it reads whole files, in turns)
     * @param chunks      the instance's chunk cache, compression and counters
     * @param reader      reads chunks (through {@code chunks}, under the instance's send-rate cap)
     * @param prefetch    the instance's read-ahead pool and budget
     * @param digestStore where chunk digests are kept across restarts
     * @param cluster     the primary's secondaries, or null when it has none
     * @param firstId     transfer ids count up from here (unique on this listener)
     * @param budget      the instance's bytes held for sending ({@code mpft.max-bytes-held})
     * @param connectionBytes the share of one connection ({@code mpft.max-bytes-in-flight})
     */
    public PrimaryTransfers(TransferSettings settings, Executor io, Executor digestPool, ChunkSource chunks,
                            ChunkReader reader, ChunkPrefetcher.Pool prefetch, DigestStore digestStore,
                            PrimaryCluster cluster, long firstId, SendBudget budget, long connectionBytes) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.io = Objects.requireNonNull(io, "io");
        this.digestPool = Objects.requireNonNull(digestPool, "digestPool");
        this.chunks = Objects.requireNonNull(chunks, "chunks");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.prefetch = Objects.requireNonNull(prefetch, "prefetch");
        this.digestStore = Objects.requireNonNull(digestStore, "digestStore");
        this.cluster = cluster;
        this.ids = new AtomicLong(firstId);
        this.budget = Objects.requireNonNull(budget, "budget");
        this.connectionBytes = connectionBytes;
    }

    /**
     * Starts a transfer of {@code file}, opened for {@code user} by {@code open}: plans its chunks, registers
     * it with the secondaries when the client takes several paths, then answers META on {@code control}.
     * Called on the connection's event loop; the transfer owns the file from here on.
     *
     * @param features the features both sides speak ({@link Features})
     */
    public PrimaryTransfer open(QuicChannel connection, TransferControl control, Principal user, Open open,
                                ReadableFile file, long features) {
        boolean multiPath = Features.has(features, Features.MULTI_PATH);
        int paths = 1 + (cluster != null && multiPath ? cluster.links().size() : 0);
        ChunkPlan plan = new ChunkPlan(file.size(), settings.chunkSizeFixed() ? settings.chunkSize()
                : chunks.chunkSize(user.name(), open.path(), file.size(), file.lastModifiedMillis(),
                        () -> new ChunkSizePolicy(settings.chunkSizeMin(), settings.chunkSizeMax(),
                                settings.chunkSize()).choose(file.size(), paths,
                                chunks.metrics().recentPathSpeed())));
        boolean compress = Features.has(open.flags(), Features.COMPRESSION)
                && Features.has(features, Features.COMPRESSION);
        boolean fileDigest = Features.has(open.flags(), Features.FILE_DIGEST)
                && Features.has(features, Features.FILE_DIGEST);
        Strategy strategy = open.strategy() == Strategy.SERVER_DEFAULT ? settings.strategy() : open.strategy();
        Transfer transfer = new Transfer(ids.incrementAndGet(), user, open.path(), file, plan, settings.checksum(),
                System.nanoTime());
        PrimaryTransfer started = new PrimaryTransfer(this, connection, control, transfer, strategy, compress,
                fileDigest);
        started.begin(multiPath);
        return started;
    }

    TransferSettings settings() {
        return settings;
    }

    Executor io() {
        return io;
    }

    Executor digestPool() {
        return digestPool;
    }

    ChunkSource chunks() {
        return chunks;
    }

    ChunkReader reader() {
        return reader;
    }

    ChunkPrefetcher.Pool prefetch() {
        return prefetch;
    }

    /** The budget of bytes held for sending on {@code connection} (shared by its transfers). */
    SendBudget.Connection budgetOf(QuicChannel connection) {
        return budget.of(connection, connectionBytes);
    }

    DigestStore digestStore() {
        return digestStore;
    }

    PrimaryCluster cluster() {
        return cluster;
    }
}

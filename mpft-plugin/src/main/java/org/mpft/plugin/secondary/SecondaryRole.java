package org.mpft.plugin.secondary;

import org.mpft.plugin.cluster.ClusterSecret;
import org.mpft.plugin.observe.TransferLog;
import org.mpft.plugin.send.ChunkOutlet;
import org.mpft.plugin.send.ChunkPrefetcher;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.FileChangedException;
import org.mpft.plugin.send.LeaseQueue;
import org.mpft.plugin.send.SendBudget;
import org.mpft.plugin.send.Transfer;

import io.netty.handler.codec.quic.QuicChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChunkError;
import org.mpft.protocol.ChunkSent;
import org.mpft.protocol.ClientAttached;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.SendChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an instance with {@code mpft.role=secondary} does besides listening: accepts cluster links from
 * its primaries ({@link ClusterLinkHandler}), keeps their transfers ({@link SecondaryTransfers}), lets
 * clients attach with a ticket, and sends each chunk a primary assigns to the client attached to that
 * transfer, on its own stream, reporting CHUNK_SENT (with the checksum of the bytes it read, which the
 * primary compares with its own digest) or CHUNK_ERROR. Thread-safe.
 */
public final class SecondaryRole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SecondaryRole.class);

    /**
     * A client attached to one transfer: where its chunks go, how they are read (compressed as the primary
     * asked) and read ahead. Chunks are sent on the client connection's loop.
     */
    static final class Serving {
        private final RegisteredTransfer registered;
        private final Transfer transfer;
        private final QuicChannel client;
        private final ChunkOutlet outlet;
        private final ChunkReader reader;
        private final ChunkPrefetcher prefetcher;
        /** sends waiting for bytes of the client connection's budget */
        private final LeaseQueue sends;
        /** how often the client asked for each chunk again (NACK) */
        private final ResendCap resends;
        /** the highest chunk assigned so far and the step between the last two: where the next ones probably are */
        private int highest = -1;
        private int stride = 1;
        private final java.util.concurrent.atomic.LongAdder chunks = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder compressed = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder bytes = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder wire = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        Serving(RegisteredTransfer registered, QuicChannel client, ChunkOutlet outlet, ChunkReader reader,
                ChunkPrefetcher.Pool prefetch, SendBudget.Connection budget, int maxResends) {
            this.registered = registered;
            this.sends = new LeaseQueue(budget);
            this.resends = new ResendCap(maxResends);
            this.client = client;
            this.outlet = outlet;
            this.transfer = new Transfer(registered.transferId(), registered.user(), registered.path(),
                    registered.file(), registered.plan(), registered.checksum(), System.nanoTime());
            this.reader = reader.compressingWith(registered.compression());
            this.prefetcher = prefetch.forPath(this.reader, transfer);
        }

        /**
         * The primary assigned {@code chunk}: read ahead the chunks that probably come next, the ones after the
         * highest assigned so far at the step seen between the last two (alternate over N paths: N).
         */
        private void assigned(int chunk) {
            if (prefetcher == null) {
                return;
            }
            int[] next;
            synchronized (this) {
                if (chunk > highest) {
                    if (highest >= 0) {
                        stride = Math.min(chunk - highest, 64);
                    }
                    highest = chunk;
                }
                int count = transfer.plan().chunkCount();
                int n = 0;
                next = new int[prefetcher.depth()];
                for (long c = (long) highest + stride; c < count && n < next.length; c += stride) {
                    next[n++] = (int) c;
                }
                next = java.util.Arrays.copyOf(next, n);
            }
            prefetcher.ahead(next);
        }

        private void sent(org.mpft.protocol.ChunkHeader header) {
            chunks.increment();
            bytes.add(header.length());
            wire.add(header.encodedLength());
            if (header.encoding() != org.mpft.protocol.Encoding.RAW) {
                compressed.increment();
            }
        }

        /** Stops reading ahead, releases what was read ahead, and logs what was served (once). */
        private void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            sends.close();
            if (prefetcher != null) {
                prefetcher.close();
            }
            if (chunks.sum() > 0) {
                LOG.info("{} served: chunks={} compressed={} bytes={} wire={} prefetched={} prefetch-hits={} codec={}",
                        LogText.quote(registered), chunks.sum(), compressed.sum(), bytes.sum(), wire.sum(),
                        prefetcher == null ? 0 : prefetcher.loaded(), prefetcher == null ? 0 : prefetcher.hits(),
                        reader.encoding());
            }
        }

        /** True once serving stopped (the client left, or the primary ended the transfer). */
        boolean ended() {
            return closed.get();
        }

        /** The transfer, as registered. */
        RegisteredTransfer registered() {
            return registered;
        }
    }

    private record Key(String primary, long transferId) {
    }

    private final ClusterSecret secret;
    private final String name;
    private final String advertiseHost;
    private final int advertisePort;
    private final Bytes certificateSha256;
    private final List<InetAddress> acceptPrimaries;
    private final SecondaryTransfers registry;
    private final Executor io;
    private final Executor registrations;
    private final ChunkReader reader;
    private final ChunkPrefetcher.Pool prefetch;
    private final SendBudget budget;
    private final long connectionBytes;
    private final int maxResends;
    private final Map<String, ClusterLinkHandler> links = new ConcurrentHashMap<>();
    private final Map<Key, Serving> serving = new ConcurrentHashMap<>();

    /**
     * @param secret            the cluster secret
     * @param name              this instance's name ({@code mpft.name})
     * @param advertiseHost     the address clients reach it at ({@code mpft.advertise-address})
     * @param advertisePort     the UDP port clients reach it at; 0: the port a primary's link came in on
     * @param certificateSha256 its TLS certificate's SHA-256
     * @param acceptPrimaries   the addresses cluster links may come from ({@code mpft.cluster.accept-primaries})
     * @param registry          its transfers
     * @param io                where chunk reads run
     * @param registrations     where REGISTER_TRANSFERs are handled (host calls), apart from the chunk reads
     * @param reader            reads chunks (through the instance's chunk cache, under its send-rate cap)
     * @param prefetch          reads ahead the chunks a primary will probably assign next ({@code mpft.prefetch})
     * @param budget            the instance's bytes held for sending ({@code mpft.max-bytes-held})
     * @param connectionBytes   the share of one client connection ({@code mpft.max-bytes-in-flight})
     * @param maxResends        how often a client may ask for one chunk again ({@code mpft.chunk-retries})
     */
    public SecondaryRole(ClusterSecret secret, String name, String advertiseHost, int advertisePort,
                         Bytes certificateSha256, List<InetAddress> acceptPrimaries, SecondaryTransfers registry,
                         Executor io, Executor registrations, ChunkReader reader, ChunkPrefetcher.Pool prefetch,
                         SendBudget budget, long connectionBytes, int maxResends) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.connectionBytes = connectionBytes;
        this.maxResends = maxResends;
        this.prefetch = Objects.requireNonNull(prefetch, "prefetch");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.name = Objects.requireNonNull(name, "name");
        this.advertiseHost = Objects.requireNonNull(advertiseHost, "advertiseHost");
        this.advertisePort = advertisePort;
        this.certificateSha256 = Objects.requireNonNull(certificateSha256, "certificateSha256");
        this.acceptPrimaries = List.copyOf(acceptPrimaries);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.io = Objects.requireNonNull(io, "io");
        this.registrations = Objects.requireNonNull(registrations, "registrations");
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    ClusterSecret secret() {
        return secret;
    }

    String name() {
        return name;
    }

    /** The address clients reach this secondary at. */
    public String advertiseHost() {
        return advertiseHost;
    }

    int advertisePort() {
        return advertisePort;
    }

    Bytes certificateSha256() {
        return certificateSha256;
    }

    SecondaryTransfers registry() {
        return registry;
    }

    /** Where a link's REGISTER_TRANSFERs are handled. */
    Executor registrations() {
        return registrations;
    }

    /** True when a cluster link from {@code remote} may proceed to the handshake. */
    boolean acceptsPrimary(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        return acceptPrimaries.contains(inet.getAddress());
    }

    /** A primary proved the secret; a newer link of the same primary replaces an older one. */
    void linkUp(String primary, ClusterLinkHandler link) {
        links.put(primary, link);
    }

    /** A primary's link closed: its transfers end. */
    void linkDown(String primary, ClusterLinkHandler link) {
        if (links.remove(primary, link)) {
            registry.endAll(primary);
            serving.entrySet().removeIf(e -> {
                if (e.getKey().primary().equals(primary)) {
                    e.getValue().close();
                    return true;
                }
                return false;
            });
        }
    }

    /**
     * A client attaches with a ticket on {@code client}; the primary hears about it (CLIENT_ATTACHED) and
     * starts assigning chunks. A ticket whose registration has not arrived yet waits for it
     * ({@link SecondaryTransfers#attach}); nothing blocks.
     *
     * @param afterWait schedules the end of a wait for the registration (see {@link SecondaryTransfers#attach})
     * @return what serves the client, once attached; completed exceptionally with an {@link MpftException}
     *         INVALID_TICKET when the ticket is refused, SERVER_UNAVAILABLE when the primary is not connected
     */
    CompletableFuture<Serving> attach(Bytes ticket, QuicChannel client, ChunkOutlet outlet,
                                      BiConsumer<Long, Runnable> afterWait) {
        return registry.attach(ticket, afterWait).thenCompose(registered -> {
            try {
                return CompletableFuture.completedFuture(startServing(registered, client, outlet));
            } catch (MpftException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    private Serving startServing(RegisteredTransfer registered, QuicChannel client, ChunkOutlet outlet)
            throws MpftException {
        Serving s = new Serving(registered, client, outlet, reader, prefetch, budget.of(client, connectionBytes),
                maxResends);
        Serving before = serving.put(new Key(registered.primary(), registered.transferId()), s);
        if (before != null) {
            before.close();
        }
        ClusterLinkHandler link = links.get(registered.primary());
        if (link == null || !link.send(new ClientAttached(registered.transferId()))) {
            serving.remove(new Key(registered.primary(), registered.transferId()));
            s.close();
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "the primary " + registered.primary()
                    + " of this transfer is not connected to " + name);
        }
        LOG.info("client {} attached to {} for {} ({})", client.remoteSocketAddress(), LogText.quote(registered),
                LogText.quote(registered.user().name()), LogText.quote(registered.path()));
        return s;
    }

    /** The client of {@code s} went away. */
    void detach(Serving s) {
        serving.remove(new Key(s.registered.primary(), s.registered.transferId()), s);
        s.close();
    }

    /**
     * The attached client asks for a chunk again (a NACK on this connection): served only when the
     * primary assigned it here.
     *
     * @throws MpftException INVALID_TICKET for a chunk that was not assigned to this secondary, CHUNK_CORRUPTION
     *                       when the client asked for it again more than {@code mpft.chunk-retries} times
     */
    void resend(Serving s, int chunk) throws MpftException {
        registry.checkAssigned(s.registered, chunk);
        s.resends.askedAgain(chunk, s.registered + " on " + name);
        ClusterLinkHandler link = links.get(s.registered.primary());
        serve(s, chunk, link);
    }

    /** SEND_CHUNK from {@code primary}'s link. */
    void sendChunk(String primary, SendChunk send, ClusterLinkHandler link) {
        try {
            registry.assign(primary, send.transferId(), send.chunk(), send.offset(), send.length());
        } catch (MpftException e) {
            link.send(new ChunkError(send.transferId(), send.chunk(), e.code(), e.getMessage()));
            return;
        }
        Serving s = serving.get(new Key(primary, send.transferId()));
        if (s == null || !s.client.isActive()) {
            link.send(new ChunkError(send.transferId(), send.chunk(), ErrorCode.SERVER_UNAVAILABLE,
                    "no client is attached to transfer " + send.transferId() + " on " + name));
            return;
        }
        if (s.prefetcher != null) {
            s.prefetcher.claim(send.chunk());
        }
        serve(s, send.chunk(), link);
        s.assigned(send.chunk());
    }

    /** END_TRANSFER: the primary is done with the transfer. */
    void endTransfer(String primary, long transferId) {
        Serving ended = serving.remove(new Key(primary, transferId));
        if (ended != null) {
            ended.close();
            TransferLog.network(transferId, ended.client);
        }
        registry.end(primary, transferId);
    }

    /** Reads and sends {@code chunk} once the client connection's budget has its bytes. */
    private void serve(Serving s, int chunk, ClusterLinkHandler link) {
        long started = System.nanoTime();
        s.sends.submit(s.transfer.plan().length(chunk), lease -> readThenSend(s, chunk, link, lease, started));
    }

    private void readThenSend(Serving s, int chunk, ClusterLinkHandler link, SendBudget.Lease lease, long started) {
        long transferId = s.registered.transferId();
        try {
            io.execute(() -> {
                ChunkReader.ReadChunk read;
                try {
                    read = s.reader.read(s.transfer, chunk, s.prefetcher);
                } catch (FileChangedException e) {
                    report(link, new ChunkError(transferId, chunk, ErrorCode.FILE_CHANGED, e.getMessage()));
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("transfer {}: cannot read chunk {}: {}", transferId, chunk, LogText.quote(e));
                    lease.close();
                    report(link, new ChunkError(transferId, chunk, ErrorCode.INTERNAL_ERROR, name
                            + " cannot read chunk " + chunk + " of " + s.registered.path()));
                    return;
                }
                try {
                    s.client.eventLoop().execute(() -> {
                        if (!s.client.isActive()) {
                            read.payload().release();
                            lease.close();
                            report(link, new ChunkError(transferId, chunk, ErrorCode.SERVER_UNAVAILABLE,
                                    "the client of transfer " + transferId + " left " + name));
                            return;
                        }
                        s.sent(read.header());
                        s.outlet.send(read.header(), read.payload(), lease, () -> report(link, new ChunkError(transferId,
                                chunk, ErrorCode.SERVER_UNAVAILABLE, name + " cannot open a stream to the client")));
                        report(link, new ChunkSent(transferId, chunk, read.header().checksum(),
                                read.header().encodedLength(), System.nanoTime() - started));
                    });
                } catch (RejectedExecutionException e) {
                    read.payload().release();
                    lease.close();
                }
            });
        } catch (RejectedExecutionException e) {
            lease.close();
            report(link, new ChunkError(transferId, chunk, ErrorCode.SERVER_UNAVAILABLE, name + " is shutting down"));
        }
    }

    private static void report(ClusterLinkHandler link, org.mpft.protocol.Frame frame) {
        if (link != null) {
            link.send(frame);
        }
    }

    /** Ends every client's serving and forgets every transfer. */
    @Override
    public void close() {
        serving.values().forEach(Serving::close);
        serving.clear();
        registry.close();
    }
}

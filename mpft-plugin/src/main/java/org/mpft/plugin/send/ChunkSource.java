package org.mpft.plugin.send;

import org.mpft.plugin.observe.MpftMetrics;
import org.mpft.plugin.observe.ReadCounts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.mpft.cache.ChunkCache;
import org.mpft.cache.ChunkKey;
import org.mpft.cache.FileIdentity;
import org.mpft.cache.MetadataCache;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChunkCodec;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;

/**
 * Where a sender's chunks come from: the instance's {@link ChunkCache} first, the file otherwise. A chunk read
 * from the file is stored in the cache (a copy) together with its checksum, so a second download of the same
 * file version reads neither the disk nor hashes again. Then, when the transfer asked for it, the chunk is
 * compressed ({@link ChunkCodec}, one per I/O thread) where that pays. Thread-safe; blocking (runs on the I/O
 * pool).
 *
 * <p><b>Identity.</b> Entries are keyed by the user, the requested path, the size and the mtime of the open
 * file ({@link FileIdentity}), and its change time and file key where the host has them ({@link Transfer#version()}:
 * a file rewritten with its mtime set back is another version). The user is part of the key because paths are relative to each user's root: two
 * users' {@code a.txt} are two files. A file rewritten in place gets a new size or mtime, hence new keys: its
 * old chunks are never served (they age out of the cache).
 *
 * <p>One instance per listener, shared by its sessions (primary and secondary role alike).
 */
public final class ChunkSource {

    private final ChunkCache cache;
    private final MetadataCache<Bytes> checksums;
    private final MpftMetrics metrics;
    private final Encoding compression;
    /** per I/O thread, one codec per encoding (a secondary compresses with its primary's choice) */
    private final ThreadLocal<java.util.EnumMap<Encoding, ChunkCodec>> codecs =
            ThreadLocal.withInitial(() -> new java.util.EnumMap<>(Encoding.class));
    private final MetadataCache<Integer> chunkSizes = MetadataCache.builder().maximumEntries(10_000).build();
    private final java.util.Map<Long, ReadCounts> perTransfer = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts counting a transfer's reads (until {@link #finish}); reads of transfers not tracked are not counted. */
    public void track(long transferId) {
        perTransfer.put(transferId, ReadCounts.NONE);
    }

    /** Forgets a transfer's counts and returns them ({@link ReadCounts#NONE} when it read nothing). */
    public ReadCounts finish(long transferId) {
        ReadCounts c = perTransfer.remove(transferId);
        return c == null ? ReadCounts.NONE : c;
    }

    private void count(Transfer transfer, boolean hit, long disk, long wire, boolean compressedChunk) {
        // computeIfPresent: a read still running after finish (a cancelled transfer) leaves nothing behind
        perTransfer.computeIfPresent(transfer.id(), (id, c) -> c.plus(hit, disk, wire, compressedChunk));
    }

    /**
     * @param cache       the chunk cache (a disabled one for none)
     * @param checksums   the checksums of cached chunks (a disabled one for none)
     * @param metrics     the counters
     * @param compression what compressed chunks use ({@link Encoding#ZSTD} or {@link Encoding#DEFLATE}), or
     *                    {@link Encoding#RAW} when this instance never compresses
     */
    public ChunkSource(ChunkCache cache, MetadataCache<Bytes> checksums, MpftMetrics metrics, Encoding compression) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.checksums = Objects.requireNonNull(checksums, "checksums");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.compression = Objects.requireNonNull(compression, "compression");
    }


    /**
     * The chunk size of a file version: the one chosen for it before while it is remembered (10,000 file
     * versions), so that a resumed download meets the same plan even if the measured path speed moved since;
     * otherwise {@code choose}'s, remembered from now on.
     */
    public int chunkSize(String user, String path, long size, long mtimeMillis, java.util.function.IntSupplier choose) {
        FileIdentity version = new FileIdentity(user + "\u0000" + path, size, mtimeMillis);
        try {
            return chunkSizes.get(version, v -> choose.getAsInt());
        } catch (IOException e) {
            throw new IllegalStateException(e); // the loader throws none
        }
    }

    /** True when this instance may compress (the setting {@code mpft.compression} is not {@code off}). */
    public boolean compressionEnabled() {
        return compression != Encoding.RAW;
    }

    /** The codec this instance compresses with ({@link Encoding#RAW} when {@code mpft.compression=off}). */
    public Encoding compression() {
        return compression;
    }

    /** The chunk cache. */
    ChunkCache cache() {
        return cache;
    }

    /** The counters. */
    public MpftMetrics metrics() {
        return metrics;
    }

    /**
     * Reads one chunk of a transfer (cache, else file), computes or looks up its checksum, and compresses it
     * with {@code encoding} where it pays ({@link Encoding#RAW}: never; nothing is compressed either when
     * this instance's {@code mpft.compression} is {@code off}).
     *
     * @param allocator where the returned payload buffer comes from
     * @return the header and the payload; the caller owns the payload's one reference
     * @throws IOException when the read fails or the file is shorter than the plan (it changed on disk)
     */
    ChunkReader.ReadChunk read(Transfer transfer, int chunk, ByteBufAllocator allocator, Encoding encoding)
            throws IOException {
        boolean compress = encoding != Encoding.RAW;
        long offset = transfer.plan().offset(chunk);
        int length = transfer.plan().length(chunk);
        ChunkKey key = length == 0 ? null : new ChunkKey(identity(transfer), transfer.plan().chunkSize(), chunk);
        FileIdentity checksumKey = key == null ? null : checksumKey(key, transfer);
        ByteBuf raw = allocator.directBuffer(length, length);
        try {
            Bytes checksum = null;
            boolean cached = key != null && cache.copyTo(key, raw.nioBuffer(0, length));
            if (cached) {
                raw.writerIndex(length);
                metrics.cacheHit();
                checksum = checksums.get(checksumKey).orElse(null);
            } else {
                readFile(transfer, chunk, offset, length, raw);
                metrics.cacheMiss(length);
            }
            if (checksum == null) {
                checksum = Bytes.of(transfer.checksum().compute(raw.nioBuffer(0, length)));
                if (key != null) {
                    checksums.put(checksumKey, checksum);
                }
            }
            if (!cached && key != null) {
                cache.put(key, raw.nioBuffer(0, length));
            }
            if (compress && compressionEnabled() && length >= ChunkCodec.MIN_CHUNK) {
                ChunkReader.ReadChunk encoded = compress(transfer, chunk, offset, length, raw, checksum, allocator,
                        encoding);
                if (encoded != null) {
                    count(transfer, cached, cached ? 0 : length,
                            encoded.header().encodedLength(), true);
                    return encoded;
                }
            }
            metrics.chunkSent(length, length, false);
            count(transfer, cached, cached ? 0 : length, length, false);
            return new ChunkReader.ReadChunk(new ChunkHeader(transfer.id(), chunk, offset, length, Encoding.RAW,
                    length, transfer.checksum(), checksum), raw);
        } catch (IOException | RuntimeException e) {
            if (raw.refCnt() > 0) {
                raw.release();
            }
            throw e;
        }
    }

    private ChunkReader.ReadChunk compress(Transfer transfer, int chunk, long offset, int length, ByteBuf raw,
                                           Bytes checksum, ByteBufAllocator allocator, Encoding encoding) {
        ChunkCodec codec = codecs.get().computeIfAbsent(encoding,
                e -> new ChunkCodec(e, ChunkCodec.DEFAULT_LEVEL, ChunkCodec.DEFAULT_MIN_SAVING));
        int budget = codec.maxCompressedLength(length);
        ByteBuf out = allocator.directBuffer(budget, budget);
        int n;
        try {
            n = codec.compress(raw.nioBuffer(0, length), out.nioBuffer(0, budget));
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        if (n < 0) {
            out.release();
            return null;
        }
        out.writerIndex(n);
        raw.release();
        metrics.chunkSent(length, n, true);
        return new ChunkReader.ReadChunk(new ChunkHeader(transfer.id(), chunk, offset, length, codec.encoding(), n,
                transfer.checksum(), checksum), out);
    }

    private static void readFile(Transfer transfer, int chunk, long offset, int length, ByteBuf buffer)
            throws IOException {
        ByteBuffer target = buffer.nioBuffer(0, length);
        while (target.hasRemaining()) {
            int n = transfer.file().read(target, offset + target.position());
            if (n < 0) {
                throw new EOFException(transfer.path() + " ended at " + (offset + target.position())
                        + " bytes while reading chunk " + chunk + " (the file shrank)");
            }
        }
        buffer.writerIndex(length);
    }

    /** The cache identity of a transfer's file version: user, path, size, mtime, and change time and file key. */
    static FileIdentity identity(Transfer transfer) throws IOException {
        return new FileIdentity(transfer.user().name() + "\u0000" + transfer.path() + "\u0000" + transfer.version(),
                transfer.plan().fileSize(), transfer.file().lastModifiedMillis());
    }

    /** The key of one chunk's checksum: the chunk's identity, chunk size, index and algorithm. */
    private static FileIdentity checksumKey(ChunkKey key, Transfer transfer) {
        FileIdentity file = key.file();
        return new FileIdentity(file.path() + "\u0000" + key.chunkSize() + "\u0000" + key.index() + "\u0000"
                + transfer.checksum().name(), file.size(), file.mtimeMillis());
    }
}

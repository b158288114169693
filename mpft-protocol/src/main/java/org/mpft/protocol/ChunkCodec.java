package org.mpft.protocol;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Per-chunk compression on the sender ({@link Encoding#ZSTD} by default, or {@link Encoding#DEFLATE}: raw
 * deflate, no zlib header) and the decoding of every encoding on the receiver. The checksum in the
 * {@link ChunkHeader} always covers the original bytes, so a receiver decodes first and verifies after.
 *
 * <p><b>Only where it pays.</b> {@link #compress} gives up, cheaply, on data that does not shrink:
 * <ol>
 *   <li>a <em>probe</em> first compresses a sample ({@value #PROBE_BYTES} bytes from the middle of the chunk); if
 *       the sample does not shrink by at least {@link #minSaving()} the chunk goes RAW, having cost a small
 *       share of a full compression (random or already-compressed data: media, archives);</li>
 *   <li>the full compression writes into a buffer of {@code length * (1 - minSaving)} bytes; when that is too
 *       small, the chunk did not shrink enough and goes RAW.</li>
 * </ol>
 * Chunks shorter than {@value #MIN_CHUNK} bytes are never compressed.
 *
 * <p>zstd level 1 (the default) was chosen by measurement ({@code CompressionBench}, {@code CompressionCpu} in
 * {@code bench/}): on 4 MiB text-like chunks it compresses 2.6x faster than JDK deflate level 1 with a better
 * ratio (0.29 vs 0.33 of the original) and decodes 2.5x faster; deflate levels 6 and 9 gain little ratio for 4
 * to 6 times the CPU. Zstd runs in native code from zstd-jni (its library is extracted to
 * {@code java.io.tmpdir} on first use).
 *
 * <p>Not thread-safe: one instance per thread (it holds a native {@link Deflater} and {@link Inflater});
 * {@link #close()} frees them.
 */
public final class ChunkCodec implements AutoCloseable {

    /** The default encoding for compressed chunks: {@link Encoding#ZSTD}. */
    public static final Encoding DEFAULT_ENCODING = Encoding.ZSTD;

    /** The default level: 1 (fastest) for either encoding. */
    public static final int DEFAULT_LEVEL = 1;

    /** The default least saving for a chunk to travel compressed: 10% of its length. */
    public static final double DEFAULT_MIN_SAVING = 0.10;

    /** Bytes of the sample compressed before a chunk, to skip incompressible data cheaply. */
    public static final int PROBE_BYTES = 64 * 1024;

    /** Chunks shorter than this are sent RAW: the saving cannot pay for the work. */
    public static final int MIN_CHUNK = 4096;

    private final Encoding encoding;
    private final int level;
    private final double minSaving;
    private Deflater deflater;
    private Deflater probe;
    private Inflater inflater;
    private ByteBuffer probeOut;
    private ByteBuffer scratchIn;
    private ByteBuffer scratchOut;

    /** A zstd level 1 codec that keeps a chunk compressed only if it saves {@link #DEFAULT_MIN_SAVING}. */
    public ChunkCodec() {
        this(DEFAULT_ENCODING, DEFAULT_LEVEL, DEFAULT_MIN_SAVING);
    }

    /**
     * @param encoding  what {@link #compress} produces: {@link Encoding#ZSTD} or {@link Encoding#DEFLATE}
     * @param level     the level: deflate 1 (fastest) to 9 (smallest), zstd 1 to 19
     * @param minSaving the least share of a chunk compression must save for the chunk to travel compressed,
     *                  in (0, 1)
     */
    public ChunkCodec(Encoding encoding, int level, double minSaving) {
        if (encoding == Encoding.RAW) {
            throw new IllegalArgumentException("RAW is not a compression");
        }
        int maxLevel = encoding == Encoding.DEFLATE ? 9 : 19;
        if (level < 1 || level > maxLevel) {
            throw new IllegalArgumentException(encoding + " level " + level + " outside [1, " + maxLevel + "]");
        }
        if (!(minSaving > 0 && minSaving < 1)) {
            throw new IllegalArgumentException("minimum saving " + minSaving + " outside (0, 1)");
        }
        this.encoding = encoding;
        this.level = level;
        this.minSaving = minSaving;
    }

    /** What {@link #compress} produces. */
    public Encoding encoding() {
        return encoding;
    }

    /** The compression level. */
    public int level() {
        return level;
    }

    /** The least share of a chunk compression must save, in (0, 1). */
    public double minSaving() {
        return minSaving;
    }

    /**
     * The most encoded bytes {@link #compress} writes for a chunk of {@code length} bytes: the size of the
     * output buffer a caller provides.
     */
    public int maxCompressedLength(int length) {
        return (int) Math.floor(length * (1 - minSaving));
    }

    /**
     * Compresses a chunk with {@link #encoding()} if that saves at least {@link #minSaving()} of it.
     *
     * @param raw the chunk, from position to limit (position unchanged)
     * @param out receives the compressed bytes from its position; needs {@link #maxCompressedLength} bytes
     *            free. On success its position is after the last byte written; on refusal it is unchanged
     * @return the encoded length, or -1 when the chunk should travel RAW (too short, the probe or the full
     *         compression did not save enough)
     */
    public int compress(ByteBuffer raw, ByteBuffer out) {
        int length = raw.remaining();
        if (length < MIN_CHUNK) {
            return -1;
        }
        int budget = maxCompressedLength(length);
        if (out.remaining() < budget) {
            throw new IllegalArgumentException("output has " + out.remaining() + " bytes free, needs " + budget);
        }
        if (length > 2 * PROBE_BYTES) {
            ByteBuffer sample = raw.duplicate();
            int from = raw.position() + (length - PROBE_BYTES) / 2;
            sample.position(from).limit(from + PROBE_BYTES);
            if (probeOut == null) {
                probeOut = ByteBuffer.allocateDirect(maxCompressedLength(PROBE_BYTES));
            }
            probeOut.clear();
            if (compressInto(sample, probeOut, true) < 0) {
                return -1;
            }
        }
        ByteBuffer target = out.duplicate();
        target.limit(target.position() + budget);
        int written = compressInto(raw.duplicate(), target, false);
        if (written < 0) {
            return -1;
        }
        out.position(out.position() + written);
        return written;
    }

    /** Compresses all of {@code in} into {@code out} (position to limit); -1 when it does not fit. */
    private int compressInto(ByteBuffer in, ByteBuffer out, boolean isProbe) {
        if (encoding == Encoding.DEFLATE) {
            Deflater d;
            if (isProbe) {
                d = probe == null ? probe = new Deflater(level, true) : probe;
            } else {
                d = deflater == null ? deflater = new Deflater(level, true) : deflater;
            }
            d.reset();
            d.setInput(in);
            d.finish();
            int start = out.position();
            while (!d.finished()) {
                d.deflate(out, Deflater.NO_FLUSH);
                if (!out.hasRemaining() && !d.finished()) {
                    return -1;
                }
            }
            return out.position() - start;
        }
        return zstdCompress(in, out);
    }

    private int zstdCompress(ByteBuffer in, ByteBuffer out) {
        ByteBuffer src = in;
        if (!in.isDirect()) {
            src = scratchIn(in.remaining()).put(in.duplicate()).flip();
        }
        ByteBuffer dst = out.isDirect() ? out : scratchOut(out.remaining());
        long n;
        try {
            n = Zstd.compressDirectByteBuffer(dst, dst.position(), dst.remaining(), src, src.position(),
                    src.remaining(), level);
        } catch (RuntimeException e) {
            return -1; // "Destination buffer is too small": not worth it
        }
        if (Zstd.isError(n)) {
            return -1;
        }
        if (dst != out) {
            ByteBuffer produced = dst.duplicate();
            produced.position(dst.position()).limit(dst.position() + (int) n);
            out.duplicate().put(produced);
        }
        return (int) n;
    }

    private ByteBuffer scratchIn(int size) {
        if (scratchIn == null || scratchIn.capacity() < size) {
            scratchIn = ByteBuffer.allocateDirect(size);
        }
        return scratchIn.clear();
    }

    private ByteBuffer scratchOut(int size) {
        if (scratchOut == null || scratchOut.capacity() < size) {
            scratchOut = ByteBuffer.allocateDirect(size);
        }
        return scratchOut.clear().limit(size);
    }

    /**
     * Decodes a chunk's payload.
     *
     * @param encoding how the payload is encoded
     * @param encoded  the payload, from position to limit (position unchanged)
     * @param out      receives exactly {@code length} bytes from its position (position moves past them)
     * @param length   the chunk's original length ({@link ChunkHeader#length()})
     * @throws ProtocolException when the payload is not valid for the encoding, or decodes to more or fewer
     *                           than {@code length} bytes (never writes more than {@code length})
     */
    public void decode(Encoding encoding, ByteBuffer encoded, ByteBuffer out, int length) throws ProtocolException {
        if (out.remaining() < length) {
            throw new IllegalArgumentException("output has " + out.remaining() + " bytes free, needs " + length);
        }
        switch (encoding) {
            case RAW -> {
                if (encoded.remaining() != length) {
                    throw new ProtocolException("raw payload of " + encoded.remaining() + " bytes for a chunk of "
                            + length);
                }
                out.put(encoded.duplicate());
            }
            case DEFLATE -> inflate(encoded, out, length);
            case ZSTD -> zstdDecompress(encoded, out, length);
        }
    }

    private void zstdDecompress(ByteBuffer encoded, ByteBuffer out, int length) throws ProtocolException {
        ByteBuffer src = encoded;
        if (!encoded.isDirect()) {
            src = scratchIn(encoded.remaining()).put(encoded.duplicate()).flip();
        }
        ByteBuffer dst = out.isDirect() ? out : scratchOut(length);
        long n;
        try {
            // the frame header's content size must equal the chunk's length: checked before decoding
            long declared = Zstd.getFrameContentSize(src.duplicate());
            if (declared != length) {
                throw new ProtocolException("zstd payload declares " + declared + " bytes, the chunk has " + length);
            }
            n = Zstd.decompressDirectByteBuffer(dst, dst.position(), length, src, src.position(), src.remaining());
        } catch (RuntimeException e) {
            throw new ProtocolException("malformed zstd payload: " + e.getMessage());
        }
        if (Zstd.isError(n) || n != length) {
            throw new ProtocolException("zstd payload decodes to " + n + " bytes, the chunk has " + length);
        }
        if (dst != out) {
            ByteBuffer produced = dst.duplicate();
            produced.position(0).limit(length);
            out.put(produced);
        } else {
            out.position(out.position() + length);
        }
    }

    private void inflate(ByteBuffer encoded, ByteBuffer out, int length) throws ProtocolException {
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        int start = out.position();
        ByteBuffer target = out.duplicate();
        target.limit(start + length);
        inflater.reset();
        inflater.setInput(encoded.duplicate());
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(target);
                if (n == 0 && !inflater.finished()) {
                    if (!target.hasRemaining()) {
                        throw new ProtocolException("deflate payload decodes to more than the chunk's " + length
                                + " bytes");
                    }
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        throw new ProtocolException("deflate payload ends early: " + (target.position() - start)
                                + " of " + length + " bytes");
                    }
                }
            }
        } catch (DataFormatException e) {
            throw new ProtocolException("malformed deflate payload: " + e.getMessage());
        }
        int produced = target.position() - start;
        if (produced != length) {
            throw new ProtocolException("deflate payload decodes to " + produced + " bytes, the chunk has " + length);
        }
        if (inflater.getRemaining() != 0) {
            throw new ProtocolException("deflate payload has " + inflater.getRemaining() + " bytes after its end");
        }
        out.position(start + length);
    }

    /** Frees the native deflate and inflate state. Idempotent. */
    @Override
    public void close() {
        if (deflater != null) {
            deflater.end();
        }
        if (probe != null) {
            probe.end();
        }
        if (inflater != null) {
            inflater.end();
        }
    }
}

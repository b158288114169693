package org.mpft.bench.jmh;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.mpft.protocol.ChunkCodec;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.ProtocolException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-chunk compression of one 4 MiB chunk, direct buffers in and out as on the sender: JDK
 * {@link Deflater} (raw deflate) at levels 1, 6 and 9 vs zstd-jni at levels 1 and 3, on text-like and on
 * random data, plus mpft's own {@link ChunkCodec} (zstd 1 behind a 64 KiB probe that skips
 * incompressible chunks). {@code compress} and {@code decompress} give ms per 4 MiB chunk; the compressed
 * size is printed once per trial ({@code ratio=...}) on standard error.
 *
 * <pre>{@code
 * java -jar bench/target/mpft-benchmarks.jar CompressionBench -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompressionBench {

    /** The chunk size, bytes. */
    public static final int CHUNK = 4 << 20;

    /** The codec. */
    @Param({"deflate1", "deflate6", "deflate9", "zstd1", "zstd3", "mpft"})
    public String codec;

    /** The data: {@code text} (log/CSV-like lines) or {@code random}. */
    @Param({"text", "random"})
    public String data;

    private ByteBuffer raw;
    private ByteBuffer compressed;
    private ByteBuffer out;
    private Deflater deflater;
    private Inflater inflater;
    private ChunkCodec mpft;
    private int compressedLength;
    private Encoding mpftEncoding;

    /** Builds the chunk, compresses it once (for {@code decompress}) and prints the ratio. */
    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = "text".equals(data) ? SampleData.textLike(CHUNK, 42) : SampleData.random(CHUNK, 42);
        raw = ByteBuffer.allocateDirect(CHUNK).put(bytes).flip();
        compressed = ByteBuffer.allocateDirect((int) Zstd.compressBound(CHUNK) + CHUNK / 64 + 1024);
        out = ByteBuffer.allocateDirect(CHUNK);
        if (codec.startsWith("deflate")) {
            deflater = new Deflater(Integer.parseInt(codec.substring(7)), true);
            inflater = new Inflater(true);
        } else if ("mpft".equals(codec)) {
            mpft = new ChunkCodec();
        }
        compressedLength = compress();
        System.err.printf("%n%s/%s: %d -> %d bytes, ratio=%.3f%s%n", codec, data, CHUNK, compressedLength,
                compressedLength / (double) CHUNK, "mpft".equals(codec) ? " encoding=" + mpftEncoding : "");
    }

    /** Frees the native state. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (deflater != null) {
            deflater.end();
            inflater.end();
        }
        if (mpft != null) {
            mpft.close();
        }
    }

    /** Compresses the chunk; returns the compressed length. */
    @Benchmark
    public int compress() {
        compressed.clear();
        if (deflater != null) {
            deflater.reset();
            deflater.setInput(raw.duplicate());
            deflater.finish();
            while (!deflater.finished()) {
                deflater.deflate(compressed, Deflater.NO_FLUSH);
            }
            return compressed.position();
        }
        if (mpft != null) {
            int n = mpft.compress(raw, compressed);
            mpftEncoding = n < 0 ? Encoding.RAW : mpft.encoding();
            return n < 0 ? CHUNK : n;
        }
        int level = Integer.parseInt(codec.substring(4));
        return (int) Zstd.compressDirectByteBuffer(compressed, 0, compressed.capacity(), raw, 0, CHUNK, level);
    }

    /** Decompresses the chunk compressed in setup; returns the decoded length. */
    @Benchmark
    public int decompress() throws DataFormatException, ProtocolException {
        out.clear();
        ByteBuffer in = compressed.duplicate().position(0).limit(compressedLength);
        if (inflater != null) {
            inflater.reset();
            inflater.setInput(in);
            while (!inflater.finished()) {
                inflater.inflate(out);
            }
            return out.position();
        }
        if (mpft != null) {
            mpft.decode(mpftEncoding, mpftEncoding == Encoding.RAW ? raw.duplicate() : in, out, CHUNK);
            return out.position();
        }
        return (int) Zstd.decompressDirectByteBuffer(out, 0, CHUNK, compressed, 0, compressedLength);
    }
}

package org.mpft.bench.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The disk side of one 4 MiB chunk: the sender's positional {@code FileChannel.read} into a direct buffer
 * from a page-cached file, and the receiver's positional {@code FileChannel.write} into a preallocated
 * file (page cache, no fsync: the client fsyncs once at the end). The offset walks the file chunk by
 * chunk. The file lives in {@code java.io.tmpdir} (set {@code -Djava.io.tmpdir} to choose the disk).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChunkIoBench {

    /** The chunk size, bytes. */
    public static final int CHUNK = 4 << 20;

    /** The file's size, MiB: big enough to walk many chunks, small enough to stay in the page cache. */
    @Param({"256"})
    public int fileMib;

    private Path file;
    private FileChannel channel;
    private ByteBuffer buffer;
    private long chunks;
    private long next;

    /** Creates the file with random content and reads it once so it is in the page cache. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile("mpft-chunkio-", ".bin");
        chunks = (long) fileMib * (1 << 20) / CHUNK;
        buffer = ByteBuffer.allocateDirect(CHUNK);
        byte[] random = new byte[CHUNK];
        ThreadLocalRandom.current().nextBytes(random);
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        for (long c = 0; c < chunks; c++) {
            buffer.clear();
            buffer.put(random).flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer, c * CHUNK + buffer.position());
            }
        }
        for (long c = 0; c < chunks; c++) {
            read();
        }
    }

    /** Closes and deletes the file. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    /** Positional read of the next 4 MiB chunk into a direct buffer. */
    @Benchmark
    public ByteBuffer read() throws IOException {
        long offset = offset();
        buffer.clear();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("file ended early");
            }
        }
        return buffer.flip();
    }

    /** Positional write of a 4 MiB direct buffer at the next chunk's offset. */
    @Benchmark
    public int write() throws IOException {
        long offset = offset();
        buffer.clear();
        int written = 0;
        while (buffer.hasRemaining()) {
            written += channel.write(buffer, offset + buffer.position());
        }
        return written;
    }

    private long offset() {
        long offset = (next % chunks) * CHUNK;
        next++;
        return offset;
    }
}

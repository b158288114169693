package org.mpft.plugin.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mpft.api.ReadableFile;

/** A file in memory that counts its reads. */
public final class CountingFile implements ReadableFile {
    public final byte[] content;
    public final long mtime;
    public final AtomicInteger reads = new AtomicInteger();
    public final AtomicLong bytesRead = new AtomicLong();

    public CountingFile(byte[] content, long mtime) {
        this.content = content;
        this.mtime = mtime;
    }

    @Override
    public long size() {
        return content.length;
    }

    @Override
    public long lastModifiedMillis() {
        return mtime;
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        reads.incrementAndGet();
        if (position >= content.length) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), content.length - position);
        dst.put(content, (int) position, n);
        bytesRead.addAndGet(n);
        return n;
    }

    @Override
    public void close() throws IOException {
    }
}

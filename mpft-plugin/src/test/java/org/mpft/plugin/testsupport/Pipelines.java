package org.mpft.plugin.testsupport;

import io.netty.buffer.ByteBufAllocator;
import org.mpft.cache.ChunkCache;
import org.mpft.cache.MetadataCache;
import org.mpft.plugin.observe.MpftMetrics;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.ChunkSource;
import org.mpft.plugin.send.SendRateLimiter;
import org.mpft.protocol.Encoding;

/** Read pipelines for tests, built through the production constructors. */
public final class Pipelines {

    private Pipelines() {
    }

    /** A chunk source without cache and without compression. */
    public static ChunkSource uncachedSource() {
        return new ChunkSource(ChunkCache.builder().maximumBytes(0).build(),
                MetadataCache.builder().maximumEntries(0).build(), new MpftMetrics(), Encoding.RAW);
    }

    /** A reader of raw chunks from {@code allocator}, uncached and not rate-capped. */
    public static ChunkReader reader(ByteBufAllocator allocator) {
        return new ChunkReader(allocator, SendRateLimiter.UNLIMITED, uncachedSource(), false);
    }
}

package org.mpft.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.mpft.protocol.ChunkCodec;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.LogText;
import org.mpft.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a compressed chunk ({@link Encoding#ZSTD}, {@link Encoding#DEFLATE}) back into its original bytes
 * before it is verified, on the download's thread (never on the event loop). A payload that does not decode
 * to exactly the chunk's length gives an empty payload, which then fails verification like any corrupt
 * chunk (NACK, fetched again). Memory: one chunk's original length per chunk being decoded, taken from the
 * pooled allocator and released by the download like any payload. Not thread-safe: one per download.
 */
final class ChunkDecoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkDecoder.class);

    private final ByteBufAllocator allocator;
    private ChunkCodec codec;

    ChunkDecoder(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * @param arrived a complete chunk; its payload's reference passes to this method
     * @return {@code arrived} itself when RAW, otherwise the same chunk with its decoded payload (the encoded
     *         buffer is released); the caller owns the returned payload
     */
    DownloadEvent.ChunkArrived decode(DownloadEvent.ChunkArrived arrived) {
        Encoding encoding = arrived.header().encoding();
        if (encoding == Encoding.RAW) {
            return arrived;
        }
        int length = arrived.header().length();
        ByteBuf decoded = allocator.directBuffer(length, length);
        try {
            if (codec == null) {
                codec = new ChunkCodec();
            }
            codec.decode(encoding, arrived.payload().nioBuffer(), decoded.nioBuffer(0, length), length);
            decoded.writerIndex(length);
        } catch (ProtocolException | RuntimeException e) {
            LOG.info("chunk {} from {} does not decode ({}): {}", arrived.header().chunk(), LogText.quote(arrived.server()),
                    encoding, LogText.quote(e.getMessage()));
            decoded.clear(); // empty: fails verification
        } finally {
            arrived.payload().release();
        }
        return new DownloadEvent.ChunkArrived(arrived.server(), arrived.header(), decoded, arrived.firstByteNanos(),
                arrived.budget()); // its bytes stay taken until the decoded chunk is released
    }

    @Override
    public void close() {
        if (codec != null) {
            codec.close();
            codec = null;
        }
    }
}

package org.mpft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;

/**
 * Sends no Retry packets, so a handshake takes one round trip. Address validation by Retry guards against
 * amplification from spoofed sources; QUIC's 3x anti-amplification limit applies regardless, and mpft
 * servers authenticate every session right after the handshake.
 */
final class NoRetryTokens implements QuicTokenHandler {

    static final NoRetryTokens INSTANCE = new NoRetryTokens();

    private NoRetryTokens() {
    }

    @Override
    public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
        return false;
    }

    @Override
    public int validateToken(ByteBuf token, InetSocketAddress address) {
        return 0;
    }

    @Override
    public int maxTokenLength() {
        return 0;
    }
}

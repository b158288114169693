package org.mpft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Retry tokens: what is accepted (the token minted for that address, unchanged, before it expires) and a real
 * QUIC handshake over loopback that goes through a Retry.
 */
class RetryTokensTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 40000);
    private static final byte[] DCID = {1, 2, 3, 4, 5, 6, 7, 8};

    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private final AtomicBoolean required = new AtomicBoolean(true);
    private final RetryTokens tokens = new RetryTokens(required::get, clock::get, new SecureRandom());

    @Test
    void aTokenIsMintedOnlyWhileRequired() {
        required.set(false);
        ByteBuf out = Unpooled.buffer(tokens.maxTokenLength());
        assertFalse(tokens.writeToken(out, Unpooled.wrappedBuffer(DCID), CLIENT));
        assertEquals(0, out.readableBytes());
        assertEquals(0, tokens.minted());
    }

    @Test
    void theMintedTokenIsAcceptedFromItsAddressAndGivesTheOriginalConnectionId() {
        ByteBuf token = mint();
        int offset = tokens.validateToken(token.slice(), CLIENT);
        assertTrue(offset > 0);
        byte[] odcid = new byte[token.readableBytes() - offset];
        token.getBytes(offset, odcid);
        assertEquals(Unpooled.wrappedBuffer(DCID), Unpooled.wrappedBuffer(odcid));
        assertEquals(1, tokens.validated());
    }

    @Test
    void aTokenFromAnotherAddressIsRefused() {
        ByteBuf token = mint();
        assertEquals(-1, tokens.validateToken(token.slice(), new InetSocketAddress("192.0.2.11", 40000)));
    }

    @Test
    void anExpiredTokenIsRefused() {
        ByteBuf token = mint();
        clock.addAndGet(RetryTokens.LIFETIME.toMillis() + 1);
        assertEquals(-1, tokens.validateToken(token.slice(), CLIENT));
    }

    @Test
    void everyAlteredByteIsRefused() {
        ByteBuf token = mint();
        for (int i = 0; i < token.readableBytes(); i++) {
            ByteBuf altered = token.copy();
            altered.setByte(i, altered.getByte(i) ^ 0x01);
            assertEquals(-1, tokens.validateToken(altered, CLIENT), "byte " + i + " altered");
        }
    }

    @Test
    void aTokenOfAnotherInstanceIsRefused() {
        ByteBuf token = mint();
        RetryTokens other = new RetryTokens(() -> true, clock::get, new SecureRandom());
        assertEquals(-1, other.validateToken(token.slice(), CLIENT));
    }

    @Test
    void truncatedAndEmptyTokensAreRefused() {
        ByteBuf token = mint();
        assertEquals(-1, tokens.validateToken(token.slice(0, 20), CLIENT));
        assertEquals(-1, tokens.validateToken(Unpooled.EMPTY_BUFFER, CLIENT));
    }

    /** A real client connects over loopback to a server that requires a Retry: one token minted, one accepted. */
    @Test
    void aRealHandshakeGoesThroughARetry() throws Exception {
        RetryTokens always = new RetryTokens(() -> true, System::currentTimeMillis, new SecureRandom());
        TlsIdentity identity = TlsIdentity.generate("retry-test");
        TransportSettings settings = TransportSettings.defaults();
        try (QuicTransport server = QuicTransport.create("retry-server", 1);
             QuicTransport client = QuicTransport.create("retry-client", 1)) {
            Channel bound = server.bindServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    QuicTls.serverContext(identity), settings, always, new ChannelInboundHandlerAdapter(),
                    new ChannelInboundHandlerAdapter()).sync().channel();
            Channel datagram = client.bindClient(null, QuicTls.clientContext(sha -> { }), settings).sync().channel();
            QuicChannel connection = client.connect(datagram, (InetSocketAddress) bound.localAddress(), settings,
                    new ChannelInboundHandlerAdapter(), new ChannelInboundHandlerAdapter()).get(30, TimeUnit.SECONDS);
            assertTrue(connection.isActive());
            assertEquals(1, always.minted());
            assertEquals(1, always.validated());
            connection.close().sync();
        }
    }

    private ByteBuf mint() {
        ByteBuf out = Unpooled.buffer(tokens.maxTokenLength());
        assertTrue(tokens.writeToken(out, Unpooled.wrappedBuffer(DCID), CLIENT));
        assertEquals(1, tokens.minted());
        return out;
    }
}

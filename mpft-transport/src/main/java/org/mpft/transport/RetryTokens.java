package org.mpft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * QUIC address validation with Retry packets (RFC 9000, 8.1.2): while {@code required} says so, a client's
 * first Initial packet without a token is answered with a Retry carrying a token, and only a client that
 * echoes that token from the same address gets a connection, so spoofed source addresses cost the server
 * nothing but one small packet each. Otherwise the handshake takes its usual single round trip.
 *
 * <p>A token is {@code version | expiry (epoch ms) | HMAC-SHA256(key, expiry | client IP | original DCID),
 * first 16 bytes | original DCID}. The key is random per instance (tokens live seconds; a restart only makes
 * clients in the middle of a handshake retry once more). A token is accepted until it expires, from the
 * address it was minted for; any other token drops the packet.
 */
public final class RetryTokens implements QuicTokenHandler {

    /** How long a minted token is accepted. */
    public static final Duration LIFETIME = Duration.ofSeconds(10);

    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 16;
    private static final int HEADER = 1 + Long.BYTES + MAC_BYTES;
    private static final String HMAC = "HmacSHA256";

    private final BooleanSupplier required;
    private final LongSupplier clockMillis;
    private final SecretKeySpec key;
    private final AtomicLong minted = new AtomicLong();
    private final AtomicLong validated = new AtomicLong();

    /**
     * @param required    asked for every token-less Initial packet: true sends a Retry
     * @param clockMillis the wall clock, epoch milliseconds
     * @param random      the source of the HMAC key
     */
    public RetryTokens(BooleanSupplier required, LongSupplier clockMillis, SecureRandom random) {
        this.required = Objects.requireNonNull(required, "required");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.key = new SecretKeySpec(secret, HMAC);
    }

    @Override
    public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
        if (!required.getAsBoolean()) {
            return false;
        }
        long expiry = clockMillis.getAsLong() + LIFETIME.toMillis();
        byte[] odcid = new byte[dcid.readableBytes()];
        dcid.getBytes(dcid.readerIndex(), odcid);
        out.writeByte(VERSION).writeLong(expiry).writeBytes(mac(expiry, address, odcid)).writeBytes(odcid);
        minted.incrementAndGet();
        return true;
    }

    @Override
    public int validateToken(ByteBuf token, InetSocketAddress address) {
        int length = token.readableBytes();
        if (length <= HEADER || length > maxTokenLength() || token.getByte(token.readerIndex()) != VERSION) {
            return -1;
        }
        long expiry = token.getLong(token.readerIndex() + 1);
        long now = clockMillis.getAsLong();
        if (expiry < now || expiry > now + LIFETIME.toMillis()) {
            return -1;
        }
        byte[] presented = new byte[MAC_BYTES];
        token.getBytes(token.readerIndex() + 1 + Long.BYTES, presented);
        byte[] odcid = new byte[length - HEADER];
        token.getBytes(token.readerIndex() + HEADER, odcid);
        if (!MessageDigest.isEqual(presented, mac(expiry, address, odcid))) {
            return -1;
        }
        validated.incrementAndGet();
        return HEADER;
    }

    @Override
    public int maxTokenLength() {
        return HEADER + Quic.MAX_CONN_ID_LEN;
    }

    /** Retry tokens sent so far. */
    public long minted() {
        return minted.get();
    }

    /** Tokens accepted so far (each opened a connection from a validated address). */
    public long validated() {
        return validated.get();
    }

    private byte[] mac(long expiry, InetSocketAddress address, byte[] odcid) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            for (int shift = 56; shift >= 0; shift -= 8) {
                mac.update((byte) (expiry >>> shift));
            }
            mac.update(address.getAddress().getAddress());
            mac.update(odcid);
            byte[] full = mac.doFinal();
            byte[] truncated = new byte[MAC_BYTES];
            System.arraycopy(full, 0, truncated, 0, MAC_BYTES);
            return truncated;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

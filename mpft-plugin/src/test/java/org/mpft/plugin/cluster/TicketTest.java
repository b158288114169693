package org.mpft.plugin.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class TicketTest {

    private static final ClusterSecret SECRET = ClusterSecret.of("k".repeat(48).getBytes(StandardCharsets.US_ASCII));
    private static final ClusterSecret OTHER = ClusterSecret.of("j".repeat(48).getBytes(StandardCharsets.US_ASCII));
    private static final long NOW = 1_700_000_000_000L;
    /** The default cap, {@code mpft.cluster.max-ticket-lifetime=2m}. */
    private static final long MAX_LIFETIME = 120_000;

    private static Ticket ticket() {
        return Ticket.issue(42, "alice", "dir/büg file.bin", 100L << 20, 1_690_000_000_123L, 4 << 20, "sec-1",
                NOW + 60_000, new SecureRandom());
    }

    @Test
    void sealedTicketVerifiesToTheSameFields() throws Exception {
        Ticket issued = ticket();
        Ticket back = Ticket.verify(issued.seal(SECRET), SECRET, "sec-1", NOW, MAX_LIFETIME);
        assertThat(back).isEqualTo(issued);
        assertThat(issued.id().length()).isEqualTo(16);
        assertThat(ticket().id()).isNotEqualTo(issued.id());
    }

    @Test
    void everyFlippedBitIsRefusedAsForged() {
        byte[] sealed = ticket().seal(SECRET).toByteArray();
        for (int i = 0; i < sealed.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] forged = sealed.clone();
                forged[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> Ticket.verify(Bytes.of(forged), SECRET, "sec-1", NOW, MAX_LIFETIME))
                        .isInstanceOfSatisfying(MpftException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TICKET));
            }
        }
    }

    @Test
    void ticketFromAnotherClusterIsRefused() {
        Bytes sealed = ticket().seal(OTHER);
        assertThatThrownBy(() -> Ticket.verify(sealed, SECRET, "sec-1", NOW, MAX_LIFETIME)).hasMessageContaining("forged");
    }

    @Test
    void ticketValidLongerThanTheSecondaryAllowsIsRefused() throws Exception {
        Bytes longLived = Ticket.issue(42, "alice", "f", 1, 1, 4 << 20, "sec-1", NOW + MAX_LIFETIME + 1,
                new SecureRandom()).seal(SECRET);
        assertThatThrownBy(() -> Ticket.verify(longLived, SECRET, "sec-1", NOW, MAX_LIFETIME))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TICKET))
                .hasMessageContaining("mpft.cluster.max-ticket-lifetime");
        // the cap runs from now by the secondary's clock: one millisecond later the same ticket is within it
        assertThat(Ticket.verify(longLived, SECRET, "sec-1", NOW + 1, MAX_LIFETIME).transferId()).isEqualTo(42);
        Bytes atTheCap = Ticket.issue(43, "alice", "f", 1, 1, 4 << 20, "sec-1", NOW + MAX_LIFETIME,
                new SecureRandom()).seal(SECRET);
        assertThat(Ticket.verify(atTheCap, SECRET, "sec-1", NOW, MAX_LIFETIME).transferId()).isEqualTo(43);
    }

    @Test
    void expiredTicketIsRefused() throws Exception {
        Bytes sealed = ticket().seal(SECRET);
        Ticket.verify(sealed, SECRET, "sec-1", NOW + 59_999, MAX_LIFETIME);
        assertThatThrownBy(() -> Ticket.verify(sealed, SECRET, "sec-1", NOW + 60_000, MAX_LIFETIME))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TICKET))
                .hasMessageContaining("expired");
    }

    @Test
    void ticketForAnotherSecondaryIsRefused() {
        Bytes sealed = ticket().seal(SECRET);
        assertThatThrownBy(() -> Ticket.verify(sealed, SECRET, "sec-2", NOW, MAX_LIFETIME)).hasMessageContaining("sec-1");
    }

    @Test
    void truncatedAndEmptyTicketsAreRefused() {
        byte[] sealed = ticket().seal(SECRET).toByteArray();
        for (int length : new int[] {0, 1, 32, 33, sealed.length - 1}) {
            byte[] cut = java.util.Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> Ticket.verify(Bytes.of(cut), SECRET, "sec-1", NOW, MAX_LIFETIME))
                    .isInstanceOf(MpftException.class);
        }
    }

    @Test
    void aValidMacOverGarbageIsStillRefused() {
        byte[] body = {1, 0, 0};
        byte[] mac = ClusterSecret.hmacWithKey(SECRET.derive("ticket-v1"), body);
        byte[] sealed = new byte[body.length + mac.length];
        System.arraycopy(body, 0, sealed, 0, body.length);
        System.arraycopy(mac, 0, sealed, body.length, mac.length);
        assertThatThrownBy(() -> Ticket.verify(Bytes.of(sealed), SECRET, "sec-1", NOW, MAX_LIFETIME)).hasMessageContaining("malformed");
    }
}

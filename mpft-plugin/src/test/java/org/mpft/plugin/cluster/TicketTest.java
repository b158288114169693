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

    private static Ticket ticket() {
        return Ticket.issue(42, "alice", "dir/büg file.bin", 100L << 20, 1_690_000_000_123L, 4 << 20, "sec-1",
                NOW + 60_000, new SecureRandom());
    }

    @Test
    void sealedTicketVerifiesToTheSameFields() throws Exception {
        Ticket issued = ticket();
        Ticket back = Ticket.verify(issued.seal(SECRET), SECRET, "sec-1", NOW);
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
                assertThatThrownBy(() -> Ticket.verify(Bytes.of(forged), SECRET, "sec-1", NOW))
                        .isInstanceOfSatisfying(MpftException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TICKET));
            }
        }
    }

    @Test
    void ticketFromAnotherClusterIsRefused() {
        Bytes sealed = ticket().seal(OTHER);
        assertThatThrownBy(() -> Ticket.verify(sealed, SECRET, "sec-1", NOW)).hasMessageContaining("forged");
    }

    @Test
    void expiredTicketIsRefused() throws Exception {
        Bytes sealed = ticket().seal(SECRET);
        Ticket.verify(sealed, SECRET, "sec-1", NOW + 59_999);
        assertThatThrownBy(() -> Ticket.verify(sealed, SECRET, "sec-1", NOW + 60_000))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TICKET))
                .hasMessageContaining("expired");
    }

    @Test
    void ticketForAnotherSecondaryIsRefused() {
        Bytes sealed = ticket().seal(SECRET);
        assertThatThrownBy(() -> Ticket.verify(sealed, SECRET, "sec-2", NOW)).hasMessageContaining("sec-1");
    }

    @Test
    void truncatedAndEmptyTicketsAreRefused() {
        byte[] sealed = ticket().seal(SECRET).toByteArray();
        for (int length : new int[] {0, 1, 32, 33, sealed.length - 1}) {
            byte[] cut = java.util.Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> Ticket.verify(Bytes.of(cut), SECRET, "sec-1", NOW))
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
        assertThatThrownBy(() -> Ticket.verify(Bytes.of(sealed), SECRET, "sec-1", NOW)).hasMessageContaining("malformed");
    }
}

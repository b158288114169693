package org.mpft.plugin.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The pass a primary gives a client (in META) to attach to one secondary for one transfer. The secondary
 * accepts it only if the MAC checks out with the cluster secret, it names that secondary, it has not
 * expired, and the primary registered a transfer with the same id and fields (the secondary's registry of transfers).
 *
 * <p>Wire form ({@value #VERSION}, big-endian, strings as u16 length + UTF-8):
 * {@code u8 version | i64 transferId | str user | str path | i64 size | i64 mtimeMillis | i32 chunkSize |
 * str secondary | i64 expiresAtMillis | 16 bytes id | 32 bytes HMAC-SHA256}, the MAC over every byte before
 * it, keyed with {@code ClusterSecret.derive("ticket-v1")}. The client treats it as opaque.
 *
 * @param transferId      the transfer on the primary
 * @param user            the user the primary authenticated
 * @param path            the file, as the client asked for it
 * @param size            the primary's file size, bytes
 * @param mtimeMillis     the primary's file mtime, milliseconds since the epoch
 * @param chunkSize       the transfer's chunk size, bytes
 * @param secondary       the name of the secondary this ticket is for ({@code mpft.name} there)
 * @param expiresAtMillis the ticket is refused from this instant on, milliseconds since the epoch
 * @param id              16 random bytes, unique per ticket (also sent to the secondary in REGISTER_TRANSFER)
 */
public record Ticket(long transferId, String user, String path, long size, long mtimeMillis, int chunkSize,
              String secondary, long expiresAtMillis, Bytes id) {

    /** The layout version. */
    static final int VERSION = 1;

    /** Bytes of {@link #id()}. */
    static final int ID_BYTES = 16;

    /** Bytes of the MAC. */
    static final int MAC_BYTES = 32;

    /** The longest encoded ticket (the limit of ATTACH's ticket field), bytes. */
    static final int MAX_BYTES = 4096;

    private static final String PURPOSE = "ticket-v1";

    /** Checks the fields. */
    public Ticket {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(secondary, "secondary");
        Objects.requireNonNull(id, "id");
        if (id.length() != ID_BYTES) {
            throw new IllegalArgumentException("ticket id must be " + ID_BYTES + " bytes");
        }
    }

    /** A new ticket with a fresh random id. */
    public static Ticket issue(long transferId, String user, String path, long size, long mtimeMillis, int chunkSize,
                        String secondary, long expiresAtMillis, SecureRandom random) {
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        return new Ticket(transferId, user, path, size, mtimeMillis, chunkSize, secondary, expiresAtMillis,
                Bytes.of(id));
    }

    /**
     * The ticket's bytes with their MAC.
     *
     * @throws IllegalArgumentException when the ticket would exceed {@value #MAX_BYTES} bytes (a very long path)
     */
    public Bytes seal(ClusterSecret secret) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            out.writeLong(transferId);
            string(out, user);
            string(out, path);
            out.writeLong(size);
            out.writeLong(mtimeMillis);
            out.writeInt(chunkSize);
            string(out, secondary);
            out.writeLong(expiresAtMillis);
            out.write(id.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = buffer.toByteArray();
        byte[] mac = ClusterSecret.hmacWithKey(secret.derive(PURPOSE), body);
        byte[] sealed = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac, 0, sealed, body.length, MAC_BYTES);
        if (sealed.length > MAX_BYTES) {
            throw new IllegalArgumentException("ticket of " + sealed.length + " bytes exceeds " + MAX_BYTES);
        }
        return Bytes.of(sealed);
    }

    /**
     * Checks a ticket a client presented: the MAC first (in constant time, before any field is parsed),
     * then the layout, the secondary's name and the expiry. The expiry is the primary's choice; the secondary
     * caps it: a ticket that would stay valid longer than {@code maxLifetimeMillis} from now (by this
     * secondary's clock) is refused rather than clamped, so a primary with a wrong clock or a bad setting is
     * noticed at once instead of issuing tickets that outlive their transfer.
     *
     * @param sealed     the bytes from ATTACH
     * @param secret     the cluster secret
     * @param secondary  this secondary's name; a ticket for another secondary is refused
     * @param nowMillis  the current time, milliseconds since the epoch
     * @param maxLifetimeMillis the longest a ticket may still be valid from now, milliseconds
     *                   ({@code mpft.cluster.max-ticket-lifetime})
     * @return the ticket's fields
     * @throws MpftException INVALID_TICKET naming what failed (never echoing the bytes)
     */
    public static Ticket verify(Bytes sealed, ClusterSecret secret, String secondary, long nowMillis,
                                long maxLifetimeMillis) throws MpftException {
        byte[] bytes = sealed.toByteArray();
        if (bytes.length <= MAC_BYTES || bytes.length > MAX_BYTES) {
            throw invalid("malformed ticket (" + bytes.length + " bytes)");
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(bytes, bytes.length - MAC_BYTES, bytes.length);
        if (!ClusterSecret.macEquals(ClusterSecret.hmacWithKey(secret.derive(PURPOSE), body), mac)) {
            throw invalid("forged ticket: its MAC does not verify with this cluster's secret");
        }
        Ticket ticket;
        try {
            ByteBuffer in = ByteBuffer.wrap(body);
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw invalid("ticket version " + version + " unsupported");
            }
            long transferId = in.getLong();
            String user = string(in);
            String path = string(in);
            long size = in.getLong();
            long mtime = in.getLong();
            int chunkSize = in.getInt();
            String forSecondary = string(in);
            long expires = in.getLong();
            byte[] id = new byte[ID_BYTES];
            in.get(id);
            if (in.hasRemaining()) {
                throw invalid("malformed ticket (trailing bytes)");
            }
            ticket = new Ticket(transferId, user, path, size, mtime, chunkSize, forSecondary, expires, Bytes.of(id));
        } catch (BufferUnderflowException | IllegalArgumentException | CharacterCodingException e) {
            throw invalid("malformed ticket");
        }
        if (!ticket.secondary().equals(secondary)) {
            throw invalid("ticket is for secondary " + ticket.secondary() + ", not " + secondary);
        }
        if (nowMillis >= ticket.expiresAtMillis()) {
            throw invalid("ticket for transfer " + ticket.transferId() + " expired "
                    + (nowMillis - ticket.expiresAtMillis()) + " ms ago");
        }
        if (ticket.expiresAtMillis() - nowMillis > maxLifetimeMillis) {
            throw invalid("ticket for transfer " + ticket.transferId() + " is valid for "
                    + (ticket.expiresAtMillis() - nowMillis) + " ms more, longer than this secondary allows ("
                    + maxLifetimeMillis + " ms, mpft.cluster.max-ticket-lifetime); check the primary's clock");
        }
        return ticket;
    }

    private static MpftException invalid(String message) {
        return new MpftException(ErrorCode.INVALID_TICKET, message);
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string of " + utf8.length + " bytes in a ticket");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String string(ByteBuffer in) throws CharacterCodingException {
        int length = in.getShort() & 0xFFFF;
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        ByteBuffer slice = in.slice().limit(length);
        in.position(in.position() + length);
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
    }
}

package org.mpft.plugin.secondary;

import java.util.BitSet;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.RegisterTransfer;

/**
 * One transfer a primary registered on this secondary ({@link SecondaryTransfers}): the file opened through this
 * secondary's host, the chunks the primary assigned here, whether a client attached. Its mutable state is guarded by
 * its registry's lock.
 */
final class RegisteredTransfer {
    private final String primary;
    private final RegisterTransfer registration;
    private final Principal user;
    private final ReadableFile file;
    private final ChunkPlan plan;
    /** The chunks the primary assigned here; guarded by the registry's lock. */
    final BitSet assigned = new BitSet();
    /** Whether a client attached with the ticket; guarded by the registry's lock. */
    boolean attached;

    RegisteredTransfer(String primary, RegisterTransfer registration, Principal user, ReadableFile file) {
        this.primary = primary;
        this.registration = registration;
        this.user = user;
        this.file = file;
        this.plan = registration.plan();
    }

    /** The primary that registered it. */
    String primary() {
        return primary;
    }

    /** The primary's REGISTER_TRANSFER. */
    RegisterTransfer registration() {
        return registration;
    }

    /** The transfer id on that primary. */
    long transferId() {
        return registration.transferId();
    }

    /** The user, as this secondary's host knows them. */
    Principal user() {
        return user;
    }

    /** How the primary asked this secondary to compress the chunks ({@code RAW}: not at all). */
    org.mpft.protocol.Encoding compression() {
        return registration.compression();
    }

    /** The requested path. */
    String path() {
        return registration.path();
    }

    /** The file, opened through this secondary's host (size and mtime equal to the primary's). */
    ReadableFile file() {
        return file;
    }

    /** How the file is cut. */
    ChunkPlan plan() {
        return plan;
    }

    /** How chunks are checked. */
    ChecksumAlgorithm checksum() {
        return registration.checksumAlgorithm();
    }

    /** The ticket id the client must present. */
    Bytes ticketId() {
        return registration.ticketId();
    }

    @Override
    public String toString() {
        return "transfer " + registration.transferId() + " of " + primary + " (" + registration.user() + ", "
                + registration.path() + ")";
    }
}

package org.mpft.protocol;

import java.util.Objects;

/**
 * Primary to client, after the last {@link ChunkDigests} of a transfer whose {@link Meta#features()} has
 * {@link Features#FILE_DIGEST}: the SHA-256 of the whole file, from the same read of the file as the chunk
 * digests. The client checks every chunk against those digests (or, the primary's own chunks, under TLS), so
 * the file it assembles is the one this digest is of, and it need not hash the file itself. Empty when the
 * primary has none (it could not read the file ahead): the client then hashes the file it wrote.
 *
 * @param transferId the transfer
 * @param sha256     the file's SHA-256 (32 bytes), or empty
 */
public record FileDigest(long transferId, Bytes sha256) implements Frame {

    /** Checks the fields. */
    public FileDigest {
        Objects.requireNonNull(sha256, "sha256");
        if (sha256.length() != 0 && sha256.length() != ChecksumAlgorithm.SHA256.length()) {
            throw new IllegalArgumentException("a file digest of " + sha256.length() + " bytes: 32 or 0 expected");
        }
    }

    /** True when the primary has no digest of the file: the client hashes it. */
    public boolean isEmpty() {
        return sha256.length() == 0;
    }

    @Override
    public FrameType type() {
        return FrameType.FILE_DIGEST;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).shortBytes(sha256.internal(), 32, "sha256");
    }

    static FileDigest decode(WireReader in) throws ProtocolException {
        long transferId = in.i64();
        byte[] sha256 = in.shortBytes(32, "sha256");
        if (sha256.length != 0 && sha256.length != 32) {
            throw new ProtocolException("FILE_DIGEST: a digest of " + sha256.length + " bytes, 32 or 0 expected");
        }
        return new FileDigest(transferId, Bytes.wrap(sha256));
    }
}

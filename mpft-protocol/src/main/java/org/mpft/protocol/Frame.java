package org.mpft.protocol;

/**
 * One frame of the mpft control stream or of the primary-secondary cluster link. Each frame kind is a
 * record; {@link FrameCodec} turns frames into bytes and back. {@link #type()} says which kind it is and
 * on which link it may travel.
 */
public sealed interface Frame
        permits Hello, ServerHello, AuthPassword, AuthPublicKey, AuthOk, Attach, Attached, Open, Meta,
        ChunkDigests, Start, Ack, Nack, Cancel, Done, ErrorFrame, AuthToken, ListRequest, Listing,
        FileDigest,
        ClusterHello, ClusterChallenge, ClusterProof, ClusterWelcome, RegisterTransfer, TransferRegistered,
        SendChunk, ChunkSent, ChunkError, EndTransfer, ClientAttached, TransferRefused, LinkPing, LinkPong {

    /** The frame's kind, with its wire value and the link it belongs to. */
    FrameType type();

    /** Writes the frame's fields (not the length or type) in wire order. */
    void encodeBody(WireWriter out);
}

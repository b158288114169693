package org.mpft.protocol;

/** Every frame kind with its wire value (u8) and the link it may travel on. */
public enum FrameType {
    HELLO(0x01, Link.CONTROL, Hello::decode),
    SERVER_HELLO(0x02, Link.CONTROL, ServerHello::decode),
    AUTH_PASSWORD(0x03, Link.CONTROL, AuthPassword::decode),
    AUTH_PUBLIC_KEY(0x04, Link.CONTROL, AuthPublicKey::decode),
    AUTH_OK(0x05, Link.CONTROL, AuthOk::decode),
    ATTACH(0x06, Link.CONTROL, Attach::decode),
    ATTACHED(0x07, Link.CONTROL, Attached::decode),
    OPEN(0x08, Link.CONTROL, Open::decode),
    META(0x09, Link.CONTROL, Meta::decode),
    CHUNK_DIGESTS(0x0A, Link.CONTROL, ChunkDigests::decode),
    START(0x0B, Link.CONTROL, Start::decode),
    ACK(0x0C, Link.CONTROL, Ack::decode),
    NACK(0x0D, Link.CONTROL, Nack::decode),
    CANCEL(0x0E, Link.CONTROL, Cancel::decode),
    DONE(0x0F, Link.CONTROL, Done::decode),
    ERROR(0x10, Link.ANY, ErrorFrame::decode),
    AUTH_TOKEN(0x11, Link.CONTROL, AuthToken::decode),
    LIST(0x12, Link.CONTROL, ListRequest::decode),
    LISTING(0x13, Link.CONTROL, Listing::decode),
    FILE_DIGEST(0x14, Link.CONTROL, FileDigest::decode),

    CLUSTER_HELLO(0x20, Link.CLUSTER, ClusterHello::decode),
    CLUSTER_CHALLENGE(0x21, Link.CLUSTER, ClusterChallenge::decode),
    CLUSTER_PROOF(0x22, Link.CLUSTER, ClusterProof::decode),
    CLUSTER_WELCOME(0x23, Link.CLUSTER, ClusterWelcome::decode),
    REGISTER_TRANSFER(0x24, Link.CLUSTER, RegisterTransfer::decode),
    TRANSFER_REGISTERED(0x25, Link.CLUSTER, TransferRegistered::decode),
    SEND_CHUNK(0x26, Link.CLUSTER, SendChunk::decode),
    CHUNK_SENT(0x27, Link.CLUSTER, ChunkSent::decode),
    CHUNK_ERROR(0x28, Link.CLUSTER, ChunkError::decode),
    END_TRANSFER(0x29, Link.CLUSTER, EndTransfer::decode),
    CLIENT_ATTACHED(0x2A, Link.CLUSTER, ClientAttached::decode),
    TRANSFER_REFUSED(0x2B, Link.CLUSTER, TransferRefused::decode),
    LINK_PING(0x2C, Link.CLUSTER, LinkPing::decode),
    LINK_PONG(0x2D, Link.CLUSTER, LinkPong::decode);

    /** Which link a frame kind belongs to. */
    public enum Link {
        /** The client's control stream to a primary or secondary. */
        CONTROL,
        /** The primary's control stream to a secondary. */
        CLUSTER,
        /** Either. */
        ANY;

        /** True when a frame of this link may travel on {@code link}. */
        public boolean allows(Link link) {
            return this == ANY || this == link;
        }
    }

    @FunctionalInterface
    interface BodyDecoder {
        Frame decode(WireReader in) throws ProtocolException;
    }

    private static final FrameType[] BY_WIRE = new FrameType[256];

    static {
        for (FrameType type : values()) {
            BY_WIRE[type.wireValue] = type;
        }
    }

    private final int wireValue;
    private final Link link;
    private final BodyDecoder decoder;

    FrameType(int wireValue, Link link, BodyDecoder decoder) {
        this.wireValue = wireValue;
        this.link = link;
        this.decoder = decoder;
    }

    /** The value on the wire (u8). */
    public int wireValue() {
        return wireValue;
    }

    /** The link frames of this kind may travel on. */
    public Link link() {
        return link;
    }

    BodyDecoder decoder() {
        return decoder;
    }

    /**
     * The kind for a wire value.
     *
     * @throws ProtocolException when no kind has that value
     */
    public static FrameType fromWire(int value) throws ProtocolException {
        FrameType type = value >= 0 && value < BY_WIRE.length ? BY_WIRE[value] : null;
        if (type == null) {
            throw new ProtocolException("unknown frame type 0x" + Integer.toHexString(value));
        }
        return type;
    }
}

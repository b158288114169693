package org.mpft.client;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.AuthPublicKey;
import org.mpft.protocol.AuthSignedData;
import org.mpft.protocol.AuthToken;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Features;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.Hello;
import org.mpft.protocol.Frame;

/** The frames of a download's login: its HELLO, and the AUTH frame for its {@link Credentials}. */
final class LoginFrames {

    private static final String AGENT = "mpft-cli/" + version();

    private LoginFrames() {
    }

    /**
     * HELLO with this protocol version, MULTI_PATH, TRANSFER_STREAMS, FILE_DIGEST, LIST_PIPELINE, COMPRESSION when
     * {@code compress}, and the agent string.
     */
    static Hello hello(boolean compress) {
        return new Hello(FrameCodec.PROTOCOL_VERSION, Features.MULTI_PATH | Features.TRANSFER_STREAMS
                | Features.FILE_DIGEST | Features.LIST_PIPELINE | (compress ? Features.COMPRESSION : 0L), AGENT);
    }

    private static String version() {
        String v = LoginFrames.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * AUTH_PASSWORD with the password's UTF-8 bytes (the copies made here are cleared), or AUTH_PUBLICKEY
     * with a signature over the server's challenge, the user and the server's certificate
     * ({@link AuthSignedData}), which binds the login to this TLS connection, or AUTH_TOKEN with a session
     * offer's token (with a {@link Credentials.TokenSource}, the next token it hands out: each login its own).
     *
     * @throws MpftException when a token source has no token to give
     */
    static Frame login(String user, Credentials credentials, Bytes challenge, Bytes certificateSha256)
            throws MpftException {
        if (credentials instanceof Credentials.Password password) {
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password.password()));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            Arrays.fill(encoded.array(), (byte) 0);
            try {
                return new AuthPassword(user, Bytes.of(bytes));
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
        if (credentials instanceof Credentials.Token token) {
            return new AuthToken(user, Bytes.of(token.token()));
        }
        if (credentials instanceof Credentials.TokenSource tokens) {
            byte[] next = tokens.source().next();
            if (next == null || next.length == 0) {
                throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "the login token source gave no token");
            }
            return new AuthToken(user, Bytes.of(next));
        }
        ClientIdentity identity = ((Credentials.Key) credentials).identity();
        byte[] signature = identity.sign(AuthSignedData.of(challenge, user, certificateSha256));
        return new AuthPublicKey(user, identity.keyAlgorithm(), Bytes.of(identity.publicKeyX509()),
                Bytes.of(signature));
    }
}

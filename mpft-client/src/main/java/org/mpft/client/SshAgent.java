package org.mpft.client;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A client of a running {@code ssh-agent} (or any agent speaking its protocol, draft-miller-ssh-agent) over
 * its Unix domain socket ({@code SSH_AUTH_SOCK}): it lists the agent's keys
 * ({@code SSH_AGENTC_REQUEST_IDENTITIES} 11 → {@code SSH_AGENT_IDENTITIES_ANSWER} 12) and has the agent sign
 * ({@code SSH_AGENTC_SIGN_REQUEST} 13 → {@code SSH_AGENT_SIGN_RESPONSE} 14). The private keys never leave the
 * agent: this process sees public keys and signatures only.
 *
 * <p>Each request opens its own connection to the socket (the agent serves many), so an instance holds no
 * resource and is thread-safe.
 */
public final class SshAgent {

    private static final int REQUEST_IDENTITIES = 11;
    private static final int IDENTITIES_ANSWER = 12;
    private static final int SIGN_REQUEST = 13;
    private static final int SIGN_RESPONSE = 14;
    private static final int FAILURE = 5;
    /** The longest answer taken from an agent (a list of many RSA keys stays far below). */
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;

    /**
     * An agent at this socket; nothing is connected until {@link #identities()}.
     *
     * @param socket the agent's socket, as {@code SSH_AUTH_SOCK} names it
     */
    public SshAgent(Path socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
    }

    /** The agent's socket. */
    public Path socket() {
        return socket;
    }

    /**
     * The agent's keys that mpft can log in with: Ed25519, RSA (signed as {@code rsa-sha2-256}) and ECDSA
     * nistp256 (the host verifies ECDSA with SHA-256, which the agent uses for nistp256 only); other keys
     * (certificates, FIDO keys, DSA, ECDSA nistp384/521) are left out.
     *
     * @return the usable keys in the agent's order; empty when the agent holds none
     * @throws IOException when the agent cannot be reached or answers something else
     */
    public List<AgentIdentity> identities() throws IOException {
        ByteBuffer answer = request(new byte[] {REQUEST_IDENTITIES}, IDENTITIES_ANSWER, "list its keys");
        int count = answer.getInt();
        List<AgentIdentity> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = SshWire.bytes(answer);
            String comment = new String(SshWire.bytes(answer), StandardCharsets.UTF_8);
            AgentIdentity identity = AgentIdentity.of(this, blob, comment);
            if (identity != null) {
                keys.add(identity);
            }
        }
        return keys;
    }

    /**
     * Has the agent sign {@code data} with the key {@code blob}.
     *
     * @param flags {@code SSH_AGENT_RSA_SHA2_256} (2) for RSA keys, else 0
     * @return the SSH signature blob ({@code string algorithm, string signature})
     */
    byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(message);
        out.writeByte(SIGN_REQUEST);
        SshWire.write(out, blob);
        SshWire.write(out, data);
        out.writeInt(flags);
        ByteBuffer answer = request(message.toByteArray(), SIGN_RESPONSE, "sign (is the key still loaded?"
                + " does it need a confirmation the agent could not get?)");
        return SshWire.bytes(answer);
    }

    private ByteBuffer request(byte[] message, int expected, String what) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new IOException("cannot reach the ssh-agent at " + socket + " (SSH_AUTH_SOCK): "
                        + e.getMessage(), e);
            }
            ByteBuffer out = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteBuffer length = readFully(channel, 4);
            int size = length.getInt();
            if (size < 1 || size > MAX_MESSAGE) {
                throw new IOException("the ssh-agent at " + socket + " sent a message of " + size + " bytes");
            }
            ByteBuffer answer = readFully(channel, size);
            int type = answer.get() & 0xFF;
            if (type != expected) {
                throw new IOException("the ssh-agent at " + socket + " refused to " + what
                        + (type == FAILURE ? "" : " (answer type " + type + ")"));
            }
            return answer;
        }
    }

    private ByteBuffer readFully(SocketChannel channel, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the ssh-agent at " + socket + " closed the connection");
            }
        }
        return buffer.flip();
    }

    @Override
    public String toString() {
        return "SshAgent[" + socket + "]";
    }
}

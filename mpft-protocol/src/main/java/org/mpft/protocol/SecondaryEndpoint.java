package org.mpft.protocol;

import java.util.Objects;

/**
 * A secondary a client should attach to, as listed in {@link Meta}.
 *
 * @param name           the secondary's instance name, for progress lines and the summary
 * @param host           its client-facing address (its {@code mpft.advertise-address})
 * @param port           its client-facing UDP port
 * @param certificateSha256 the SHA-256 of its TLS certificate, vouched for by the primary
 * @param ticket         the ticket that lets this client attach to this transfer on that secondary
 */
public record SecondaryEndpoint(String name, String host, int port, Bytes certificateSha256, Bytes ticket) {

    /** Checks the fields. */
    public SecondaryEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(certificateSha256, "certificateSha256");
        Objects.requireNonNull(ticket, "ticket");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    void encode(WireWriter out) {
        out.string(name).string(host).u16(port).shortBytes(certificateSha256.internal(), 64, "certificateSha256")
                .shortBytes(ticket.internal(), 4096, "ticket");
    }

    static SecondaryEndpoint decode(WireReader in) throws ProtocolException {
        return new SecondaryEndpoint(in.string("name"), in.string("host"), in.u16(),
                Bytes.wrap(in.shortBytes(64, "certificateSha256")), Bytes.wrap(in.shortBytes(4096, "ticket")));
    }
}

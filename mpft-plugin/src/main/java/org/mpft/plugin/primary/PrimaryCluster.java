package org.mpft.plugin.primary;

import org.mpft.plugin.cluster.ClusterLink;
import org.mpft.plugin.cluster.ClusterSecret;
import org.mpft.plugin.cluster.Ticket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.LogText;
import org.mpft.protocol.RegisterTransfer;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary's secondaries ({@code mpft.secondaries}): one {@link ClusterLink} each, and the registration
 * of a transfer with every secondary whose link is up, each with its own {@link Ticket}.
 */
public final class PrimaryCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryCluster.class);

    /** How long a ticket stays valid: long enough for a client to attach, short enough to be useless later. */
    static final Duration TICKET_LIFETIME = Duration.ofSeconds(60);

    /**
     * A secondary that registered a transfer.
     *
     * @param slotName the secondary's name (from its handshake)
     * @param link     its link
     * @param endpoint where clients reach it
     * @param ticket   the sealed ticket for the client
     */
    record Registration(String slotName, ClusterLink link, ClusterLink.Endpoint endpoint, Bytes ticket) {
    }

    /**
     * A secondary as configured ({@code mpft.secondaries}).
     *
     * @param host its host name or address
     * @param port its UDP port
     */
    public record Secondary(String host, int port) {
        /** {@code host:port}, an IPv6 address in brackets. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final ClusterSecret secret;
    private final List<ClusterLink> links;
    private final SecureRandom random = new SecureRandom();

    private PrimaryCluster(ClusterSecret secret, List<ClusterLink> links) {
        this.secret = secret;
        this.links = links;
    }

    /**
     * Starts a link to every secondary (they connect in the background and reconnect when down).
     *
     * @throws UnknownHostException naming a secondary whose host does not resolve
     */
    public static PrimaryCluster start(ClusterSecret secret, String node, List<Secondary> secondaries,
                                QuicTransport transport, TransportSettings settings) throws UnknownHostException {
        List<ClusterLink> links = new ArrayList<>();
        for (Secondary hp : secondaries) {
            InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
            links.add(new ClusterLink(hp.toString(), remote, secret, node, transport, settings));
        }
        for (ClusterLink link : links) {
            link.start();
        }
        return new PrimaryCluster(secret, List.copyOf(links));
    }

    /** The links, in configuration order. */
    List<ClusterLink> links() {
        return links;
    }

    /** Each link's state now, by secondary as configured ({@code host:port}), in configuration order: true when up. */
    public Map<String, Boolean> linkStates() {
        Map<String, Boolean> states = new LinkedHashMap<>();
        links.forEach(link -> states.put(link.target(), link.isUp()));
        return states;
    }

    /**
     * Registers a transfer with every secondary that is up, in parallel; the secondaries compress their
     * chunks with {@code compression} where it pays ({@link org.mpft.protocol.Encoding#RAW}: they send them raw).
     *
     * @param listeners makes the listener for one secondary's events of this transfer
     * @return completes (never exceptionally) with the secondaries that accepted, in configuration order;
     *         refusals and timeouts are logged and left out
     */
    CompletableFuture<List<Registration>> register(long transferId, String user, String path, long size, long mtime,
                                                   int chunkSize, ChecksumAlgorithm checksum,
                                                   org.mpft.protocol.Encoding compression,
                                                   java.util.function.Function<ClusterLink,
                                                           ClusterLink.TransferListener> listeners) {
        long expires = System.currentTimeMillis() + TICKET_LIFETIME.toMillis();
        List<CompletableFuture<Registration>> answers = new ArrayList<>();
        for (ClusterLink link : links) {
            ClusterLink.Endpoint endpoint = link.endpoint();
            if (endpoint == null || !link.isUp()) {
                LOG.info("transfer {}: secondary {} left out: not connected ({})", transferId, link.target(),
                        Objects.requireNonNullElse(link.lastProblem(), "connecting"));
                continue;
            }
            Ticket ticket = Ticket.issue(transferId, user, path, size, mtime, chunkSize, endpoint.name(), expires,
                    random);
            Bytes sealed;
            try {
                sealed = ticket.seal(secret);
            } catch (IllegalArgumentException e) {
                LOG.info("transfer {}: secondary {} left out: {}", transferId, link.target(), LogText.quote(e.getMessage()));
                continue;
            }
            RegisterTransfer registration = new RegisterTransfer(transferId, user, path, size, mtime, chunkSize,
                    checksum, ticket.id(), expires, compression);
            answers.add(link.register(registration, listeners.apply(link)).handle((ok, error) -> {
                if (error != null) {
                    LOG.info("transfer {}: secondary {} left out: {}", transferId, link.target(),
                            error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                                    ? c.getCause().getMessage() : error.getMessage());
                    link.forget(transferId);
                    return null;
                }
                return new Registration(endpoint.name(), link, endpoint, sealed);
            }));
        }
        return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<Registration> ok = new ArrayList<>();
            for (CompletableFuture<Registration> answer : answers) {
                Registration r = answer.join();
                if (r != null) {
                    ok.add(r);
                }
            }
            return ok;
        });
    }

    /** Closes every link. */
    @Override
    public void close() {
        for (ClusterLink link : links) {
            link.close();
        }
    }
}

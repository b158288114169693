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
 * of a transfer with every secondary whose link is up, each with its own {@link Ticket}. Registering does not
 * wait for the answers: the transfer goes on (META, the primary's own chunks) while they are in flight, and
 * each registration's {@link Registration#confirmed()} says later whether that secondary serves.
 */
public final class PrimaryCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryCluster.class);

    /** How long a ticket stays valid: long enough for a client to attach, short enough to be useless later. */
    static final Duration TICKET_LIFETIME = Duration.ofSeconds(60);

    /**
     * A transfer's registration with one secondary.
     *
     * @param slotName  the secondary's name (from its handshake)
     * @param link      its link
     * @param endpoint  where clients reach it
     * @param ticket    the sealed ticket for the client
     * @param confirmed completes when the secondary registered the transfer, or exceptionally (its refusal,
     *                  no answer within {@code mpft.cluster.register-timeout}, the link closing)
     */
    record Registration(String slotName, ClusterLink link, ClusterLink.Endpoint endpoint, Bytes ticket,
                        CompletableFuture<Void> confirmed) {
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
    private final Duration registerTimeout;
    private final SecureRandom random = new SecureRandom();

    private PrimaryCluster(ClusterSecret secret, List<ClusterLink> links, Duration registerTimeout) {
        this.secret = secret;
        this.links = links;
        this.registerTimeout = registerTimeout;
    }

    /**
     * Starts a link to every secondary (they connect in the background and reconnect when down).
     *
     * @param settings        the links' transport parameters; their idle timeout is the link timeout
     *                        ({@code mpft.cluster.link-timeout})
     * @param registerTimeout how long a secondary has to confirm a registration
     *                        ({@code mpft.cluster.register-timeout})
     * @throws UnknownHostException naming a secondary whose host does not resolve
     */
    public static PrimaryCluster start(ClusterSecret secret, String node, List<Secondary> secondaries,
                                QuicTransport transport, TransportSettings settings, Duration registerTimeout)
            throws UnknownHostException {
        Objects.requireNonNull(registerTimeout, "registerTimeout");
        List<ClusterLink> links = new ArrayList<>();
        for (Secondary hp : secondaries) {
            InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
            links.add(new ClusterLink(hp.toString(), remote, secret, node, transport, settings));
        }
        for (ClusterLink link : links) {
            link.start();
        }
        return new PrimaryCluster(secret, List.copyOf(links), registerTimeout);
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
     * Registers a transfer with every secondary that is up, in parallel, without waiting for the answers; the
     * secondaries compress their chunks with {@code compression} where it pays
     * ({@link org.mpft.protocol.Encoding#RAW}: they send them raw). A link that is down is left out at once.
     *
     * @param listeners makes the listener for one secondary's events of this transfer
     * @return the registrations sent, in configuration order; each one's {@link Registration#confirmed()}
     *         completes later (a refusal or a timeout is logged, and that secondary's events are forgotten)
     */
    List<Registration> register(long transferId, String user, String path, long size, long mtime, int chunkSize,
                                ChecksumAlgorithm checksum, org.mpft.protocol.Encoding compression,
                                java.util.function.Function<ClusterLink, ClusterLink.TransferListener> listeners) {
        long expires = System.currentTimeMillis() + TICKET_LIFETIME.toMillis();
        List<Registration> sent = new ArrayList<>();
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
            CompletableFuture<Void> confirmed = link.register(registration, listeners.apply(link), registerTimeout);
            confirmed.whenComplete((ok, error) -> {
                if (error != null && !(error instanceof java.util.concurrent.CancellationException)) {
                    LOG.info("transfer {}: secondary {} left out: {}", transferId, link.target(),
                            LogText.quote(reason(error)));
                    link.forget(transferId);
                }
            });
            sent.add(new Registration(endpoint.name(), link, endpoint, sealed, confirmed));
        }
        return sent;
    }

    /** The message of a registration's failure. */
    static String reason(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                ? c.getCause() : error;
        return cause instanceof java.util.concurrent.CancellationException ? "the transfer ended" : cause.getMessage();
    }

    /** Closes every link. */
    @Override
    public void close() {
        for (ClusterLink link : links) {
            link.close();
        }
    }
}

package org.mpft.api;

/**
 * An optional capability of a {@link TransferChannel}: a host that has an authenticated command channel of its
 * own (an SSH server's exec requests, for instance) may offer the channel's bootstrap command there. After the
 * host has authenticated user U by its own means, and only then, it runs {@link #offer(Principal)} for U when U
 * asks for {@link #command()}, and prints the text returned to U on that channel. A host without such a channel
 * ignores the capability; a channel without it does not implement the interface.
 *
 * <p>For mpft the offer is a session offer: where to connect over QUIC, the SHA-256 of the channel's TLS
 * certificate and a single-use login token bound to U that expires within a minute. The host's own access
 * rules still apply to everything U does with it. Implementations are thread-safe.
 */
public interface SessionOffers {

    /**
     * The command name the host maps to {@link #offer(Principal)}, e.g. {@code mpft-offer}: one word, no
     * arguments. Other commands stay the host's business.
     */
    String command();

    /**
     * Mints an offer for a user the host has just authenticated.
     *
     * @param user the user as the host authenticated them (the same principal its {@link Authenticator} gives)
     * @return the text to print to the user, ending with a newline
     * @throws AccessDenied when the channel cannot offer a session (not started, or it has no login)
     */
    String offer(Principal user) throws AccessDenied;
}

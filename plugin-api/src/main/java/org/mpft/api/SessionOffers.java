package org.mpft.api;

import java.util.List;

/**
 * An optional capability of a {@link TransferChannel}: a host that has an authenticated command channel of its
 * own (an SSH server's exec requests, for instance) may offer the channel's bootstrap command there. After the
 * host has authenticated user U by its own means, and only then, it runs {@link #offer(Principal)} for U when U
 * asks for {@link #command()} (with the words that follow it, if any: {@link #offer(Principal, List)}), and
 * prints the text returned to U on that channel. A host without such a channel
 * ignores the capability; a channel without it does not implement the interface.
 *
 * <p>For mpft the offer is a session offer: where to connect over QUIC, the SHA-256 of the channel's TLS
 * certificate and a single-use login token bound to U that expires within a minute. The host's own access
 * rules still apply to everything U does with it. Implementations are thread-safe.
 */
public interface SessionOffers {

    /**
     * The command name the host maps to {@link #offer(Principal, List)}, e.g. {@code mpft-offer}: one word; the
     * words after it on the command line are the command's arguments. Other commands stay the host's business.
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

    /**
     * Mints an offer for a user the host has just authenticated, with the arguments that followed
     * {@link #command()} on the command line (split at white space). The default takes no arguments.
     *
     * @param user      the user as the host authenticated them
     * @param arguments the words after the command name, possibly none
     * @return the text to print to the user, ending with a newline
     * @throws IllegalArgumentException when the arguments are not ones the command takes (the message says
     *                                  which and how to call it; the host prints it as the command's error)
     * @throws AccessDenied             as {@link #offer(Principal)}
     */
    default String offer(Principal user, List<String> arguments) throws AccessDenied {
        if (!arguments.isEmpty()) {
            throw new IllegalArgumentException(command() + " takes no arguments, got '" + String.join(" ", arguments)
                    + "'");
        }
        return offer(user);
    }
}

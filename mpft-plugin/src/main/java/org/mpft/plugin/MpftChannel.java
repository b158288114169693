package org.mpft.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mpft.api.AccessDenied;
import org.mpft.api.ChannelStartException;
import org.mpft.api.HostContext;
import org.mpft.api.Principal;
import org.mpft.api.SessionOffers;
import org.mpft.api.TransferChannel;
import org.mpft.plugin.session.LoginTokens;
import org.mpft.plugin.session.OfferMinter;
import org.pf4j.Extension;

/**
 * The mpft transfer channel: reads the {@code mpft.*} settings, then runs an {@link MpftInstance} until
 * {@link #stop()}. PF4J creates it through its public no-argument constructor. A host with an authenticated
 * command channel may run its {@link SessionOffers} command {@value #OFFER_COMMAND} for a user it has logged in.
 */
@Extension
public final class MpftChannel implements TransferChannel, SessionOffers {

    /** The host command that prints a session offer ({@link SessionOffers#command()}). */
    public static final String OFFER_COMMAND = "mpft-offer";


    private MpftInstance server;

    /** Called by PF4J. */
    public MpftChannel() {
    }

    @Override
    public String name() {
        return "mpft";
    }

    @Override
    public synchronized void start(HostContext context) throws ChannelStartException {
        if (server != null) {
            throw new ChannelStartException("the mpft channel is already started");
        }
        MpftSettings settings = MpftSettings.parse(context.configuration());
        server = MpftInstance.start(settings, context);
    }

    /**
     * Every problem of the {@code mpft.*} settings and the files they name (TLS certificate and key, cluster
     * secret), each naming the key and the file; nothing is bound, created or changed.
     */
    @Override
    public List<String> checkConfiguration(Map<String, String> configuration, Path dataFolder) {
        return PluginConfigCheck.problems(configuration, dataFolder);
    }

    @Override
    public String command() {
        return OFFER_COMMAND;
    }

    /** A session offer for {@code user}: the QUIC address, the certificate's SHA-256 and a login token. */
    @Override
    public String offer(Principal user) throws AccessDenied {
        return offer(user, List.of());
    }

    /**
     * A session offer for {@code user} with the tokens {@code --tokens N} asks for (1 to
     * {@value OfferMinter#MAX_TOKENS}; one without arguments).
     *
     * @throws IllegalArgumentException when the arguments are not {@code [--tokens N]}
     * @throws AccessDenied             when the user already holds {@code mpft.max-login-tokens-per-user} unused
     *                                  tokens, or the channel has no login to offer
     */
    @Override
    public String offer(Principal user, List<String> arguments) throws AccessDenied {
        int count = OfferMinter.tokenCount(arguments);
        MpftInstance running;
        synchronized (this) {
            running = server;
        }
        OfferMinter minter = running == null ? null : running.offers();
        if (minter == null) {
            throw new AccessDenied(running == null ? "the mpft channel is not running"
                    : "this mpft instance is a secondary: it has no login to offer");
        }
        try {
            return minter.offer(user.name(), count);
        } catch (LoginTokens.TooMany e) {
            throw new AccessDenied(e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

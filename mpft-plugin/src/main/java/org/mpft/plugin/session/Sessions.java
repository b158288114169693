package org.mpft.plugin.session;

import io.netty.handler.codec.quic.QuicChannel;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.mpft.api.Authenticator;
import org.mpft.api.FileAccess;
import org.mpft.plugin.primary.PrimaryTransfers;
import org.mpft.plugin.secondary.SecondaryRole;
import org.mpft.protocol.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every client session of one listener shares, and where sessions are made: the settings, the login
 * (the host's authenticator, the limits), the host's file access, the I/O pool, the primary's transfers and,
 * on a secondary, the role that serves clients attaching with a ticket. Thread-safe.
 */
public final class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final SessionSettings settings;
    private final SessionAuthenticator authenticator;
    private final SessionLimits limits;
    private final FileOpener opener;
    private final FileAccess access;
    private final Executor io;
    private final LoginPool login;
    private final PrimaryTransfers transfers;
    private final SecondaryRole secondary;

    /**
     * @param settings          the sessions' settings
     * @param authenticator     the host's authenticator
     * @param certificateSha256 the SHA-256 of the listener's TLS certificate (bound into public-key logins)
     * @param tokens            the login tokens of session offers
     * @param limits            the login back-off and the per-user session count
     * @param access            the host's file access
     * @param io                runs blocking work (opening files) off the event loop
     * @param login             checks logins with the host, bounded; a full pool answers busy
     * @param transfers         makes the transfers of an OPEN
     * @param secondary         a secondary's role (clients may ATTACH with a ticket), or null on a primary
     */
    public Sessions(SessionSettings settings, Authenticator authenticator, Bytes certificateSha256,
                    LoginTokens tokens, SessionLimits limits, FileAccess access, Executor io, LoginPool login,
                    PrimaryTransfers transfers,
                    SecondaryRole secondary) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.authenticator = new SessionAuthenticator(authenticator, certificateSha256,
                Objects.requireNonNull(tokens, "tokens"));
        this.limits = Objects.requireNonNull(limits, "limits");
        this.opener = new FileOpener(access, settings.maxFileSize(), settings.chunkSize());
        this.access = access;
        this.io = Objects.requireNonNull(io, "io");
        this.login = Objects.requireNonNull(login, "login");
        this.transfers = Objects.requireNonNull(transfers, "transfers");
        this.secondary = secondary;
    }

    /**
     * A session for a new connection, admitted under the budget of connections not logged in yet; it starts
     * when {@link Session#acceptControlStream} gets its stream and is closed when it has not logged in by
     * {@code mpft.login-timeout}. Called on the connection's event loop.
     *
     * @return the session (one that answers busy and closes when the budget in all or of the connection's
     *         source is used up), or null when even the places for refused connections are used up (the
     *         caller closes the connection)
     */
    public Session open(QuicChannel connection) {
        PreLoginLimits preLogin = limits.preLogin();
        PreLoginLimits.Admission admission = preLogin.admit(SessionLimits.address(connection.remoteSocketAddress()));
        if (admission == null) {
            admission = preLogin.admitRefused();
            if (admission == null) {
                return null;
            }
            LOG.warn("connection from {} refused (answered busy): too many connections not logged in from it or"
                    + " in all (mpft.max-unauthenticated-per-source {}, mpft.max-unauthenticated {})",
                    connection.remoteSocketAddress(), preLogin.maxPerSource(), preLogin.maxTotal());
        }
        return new Session(connection, admission, this);
    }

    SessionSettings settings() {
        return settings;
    }

    SessionAuthenticator authenticator() {
        return authenticator;
    }

    SessionLimits limits() {
        return limits;
    }

    FileOpener opener() {
        return opener;
    }

    /** A lister for one session's LIST requests. */
    DirectoryLister lister() {
        return new DirectoryLister(access, settings.maxListsPerSession());
    }

    Executor io() {
        return io;
    }

    LoginPool login() {
        return login;
    }

    PrimaryTransfers transfers() {
        return transfers;
    }

    SecondaryRole secondary() {
        return secondary;
    }
}

package org.mpft.plugin.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The listener-wide guards of client sessions: the budget of connections not logged in yet
 * ({@link PreLoginLimits}), the {@link LoginThrottle} ({@code mpft.auth.backoff.*}) and the count of logged-in
 * sessions in all ({@code mpft.max-sessions}) and per user ({@code mpft.max-sessions-per-user}). One instance per set of
 * settings, shared by every session of the instance (built once by the listener's wiring). Thread-safe.
 */
public final class SessionLimits {

    private final LoginThrottle throttle;
    private final PreLoginLimits preLogin;
    private final int maxSessions;
    private final int maxSessionsPerUser;
    private final int maxTransfersPerSession;
    private final int maxConcurrentTransfers;
    private final Map<String, Integer> sessionsByUser = new HashMap<>();
    private int sessions;

    /**
     * @param throttle               the failed-login back-off
     * @param preLogin               the budget of connections not logged in yet
     * @param maxSessions            the most logged-in sessions in all ({@code mpft.max-sessions})
     * @param maxSessionsPerUser     the most live sessions of one user ({@code mpft.max-sessions-per-user})
     * @param maxTransfersPerSession the most OPENs of one session ({@code mpft.max-transfers-per-session})
     * @param maxConcurrentTransfers the most transfers in progress at once on one connection
     *                               ({@code mpft.max-concurrent-transfers})
     */
    public SessionLimits(LoginThrottle throttle, PreLoginLimits preLogin, int maxSessions, int maxSessionsPerUser,
                         int maxTransfersPerSession, int maxConcurrentTransfers) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.preLogin = Objects.requireNonNull(preLogin, "preLogin");
        if (maxSessions < 1 || maxSessionsPerUser < 1 || maxTransfersPerSession < 1
                || maxConcurrentTransfers < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxSessions = maxSessions;
        this.maxSessionsPerUser = maxSessionsPerUser;
        this.maxTransfersPerSession = maxTransfersPerSession;
        this.maxConcurrentTransfers = maxConcurrentTransfers;
    }

    /** The failed-login back-off. */
    LoginThrottle throttle() {
        return throttle;
    }

    /** The budget of connections not logged in yet. */
    public PreLoginLimits preLogin() {
        return preLogin;
    }

    /** The most logged-in sessions in all. */
    int maxSessions() {
        return maxSessions;
    }

    /** True when {@code mpft.max-sessions} logged-in sessions are live: another login is refused. */
    boolean full() {
        synchronized (sessionsByUser) {
            return sessions >= maxSessions;
        }
    }

    /** Logged-in and attached sessions now. */
    public int sessions() {
        synchronized (sessionsByUser) {
            return sessions;
        }
    }

    /** The most transfers (OPEN requests, refused ones included) one session may make. */
    int maxTransfersPerSession() {
        return maxTransfersPerSession;
    }

    /** The most transfers in progress at once on one connection (OPENs being opened included). */
    int maxConcurrentTransfers() {
        return maxConcurrentTransfers;
    }

    /** The most live sessions of one user. */
    int maxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    /**
     * Counts a logged-in session of {@code user}, in all and for the user.
     *
     * @return a handle that releases it (idempotent), or null when {@code maxSessions} sessions are live or
     *         the user already has {@code maxSessionsPerUser} (nothing counted; {@link #full()} tells which)
     */
    UserSession enter(String user) {
        synchronized (sessionsByUser) {
            int now = sessionsByUser.getOrDefault(user, 0);
            if (sessions >= maxSessions || now >= maxSessionsPerUser) {
                return null;
            }
            sessionsByUser.put(user, now + 1);
            sessions++;
        }
        return new UserSession(user);
    }

    /**
     * Counts a session that attached with a ticket (on a secondary): in all only, its user was counted
     * where the ticket's transfer was opened.
     *
     * @return a handle that releases it (idempotent), or null when {@code maxSessions} sessions are live
     */
    UserSession enterAttached() {
        synchronized (sessionsByUser) {
            if (sessions >= maxSessions) {
                return null;
            }
            sessions++;
        }
        return new UserSession(null);
    }

    /** Live sessions of a user (for tests and logs). */
    int sessionsOf(String user) {
        synchronized (sessionsByUser) {
            return sessionsByUser.getOrDefault(user, 0);
        }
    }

    /** One counted session; {@link #close()} releases it once. */
    final class UserSession implements AutoCloseable {
        private final String user;
        private boolean closed;

        private UserSession(String user) {
            this.user = user;
        }

        @Override
        public void close() {
            synchronized (sessionsByUser) {
                if (closed) {
                    return;
                }
                closed = true;
                sessions--;
                if (user != null) {
                    sessionsByUser.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
                }
            }
        }
    }

    /** The IP address of a peer's socket address, or null when it has none. */
    static InetAddress address(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}

package org.mpft.plugin.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The listener-wide guards of client sessions: the {@link LoginThrottle} ({@code mpft.auth.backoff.*}) and
 * the count of live sessions per user ({@code mpft.max-sessions-per-user}). One instance per set of
 * settings, shared by every session of the instance (built once by the listener's wiring). Thread-safe.
 */
public final class SessionLimits {

    private final LoginThrottle throttle;
    private final int maxSessionsPerUser;
    private final int maxTransfersPerSession;
    private final Map<String, Integer> sessionsByUser = new HashMap<>();

    /**
     * @param throttle               the failed-login back-off
     * @param maxSessionsPerUser     the most live sessions of one user ({@code mpft.max-sessions-per-user})
     * @param maxTransfersPerSession the most OPENs of one session ({@code mpft.max-transfers-per-session})
     */
    public SessionLimits(LoginThrottle throttle, int maxSessionsPerUser, int maxTransfersPerSession) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        if (maxSessionsPerUser < 1 || maxTransfersPerSession < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxSessionsPerUser = maxSessionsPerUser;
        this.maxTransfersPerSession = maxTransfersPerSession;
    }

    /** The failed-login back-off. */
    LoginThrottle throttle() {
        return throttle;
    }

    /** The most transfers (OPEN requests, refused ones included) one session may make. */
    int maxTransfersPerSession() {
        return maxTransfersPerSession;
    }

    /** The most live sessions of one user. */
    int maxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    /**
     * Counts a logged-in session of {@code user}.
     *
     * @return a handle that releases it (idempotent), or null when the user already has
     *         {@code maxSessionsPerUser} sessions (nothing counted)
     */
    UserSession enter(String user) {
        synchronized (sessionsByUser) {
            int now = sessionsByUser.getOrDefault(user, 0);
            if (now >= maxSessionsPerUser) {
                return null;
            }
            sessionsByUser.put(user, now + 1);
        }
        return new UserSession(user);
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
                sessionsByUser.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    /**
     * A client-supplied text made safe for one log line: control characters escaped, cut to 128
     * characters (a user name can be 8 KiB of anything).
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 128; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > out.length() && out.length() >= 128 ? out + "..." : out.toString();
    }

    /** The IP address of a peer's socket address, or null when it has none. */
    static InetAddress address(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}

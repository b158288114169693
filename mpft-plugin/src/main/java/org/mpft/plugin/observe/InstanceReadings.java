package org.mpft.plugin.observe;

import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the metrics read from the instance's other parts when they are scraped, handed over by the wiring
 * (the parts that keep these counts know nothing of the metrics).
 *
 * @param role                    the instance's role, {@code primary} or {@code secondary}
 * @param sessionsAuthenticated   logged-in (or, on a secondary, attached) sessions now
 * @param sessionsUnauthenticated connections that have not logged in yet, now
 * @param loginsOk                logins accepted since the start
 * @param loginsFailed            logins the host refused since the start
 * @param loginsLocked            logins refused unasked because their user or address was locked
 * @param clusterLinks            a primary's links by secondary (as configured, {@code host:port}): true when up
 * @param retriesSent             QUIC Retry packets sent to new connections since the start (address validation)
 * @param retriesValidated        connections that came back with a valid Retry token since the start
 */
public record InstanceReadings(String role, LongSupplier sessionsAuthenticated, LongSupplier sessionsUnauthenticated,
                               LongSupplier loginsOk, LongSupplier loginsFailed, LongSupplier loginsLocked,
                               Supplier<Map<String, Boolean>> clusterLinks, LongSupplier retriesSent,
                               LongSupplier retriesValidated) {

    /** Before the wiring hands over the real ones: a primary with nothing counted. */
    public static final InstanceReadings NONE = new InstanceReadings("primary", () -> 0, () -> 0, () -> 0, () -> 0,
            () -> 0, Map::of, () -> 0, () -> 0);

    /** Checks that every reading is given. */
    public InstanceReadings {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sessionsAuthenticated, "sessionsAuthenticated");
        Objects.requireNonNull(sessionsUnauthenticated, "sessionsUnauthenticated");
        Objects.requireNonNull(loginsOk, "loginsOk");
        Objects.requireNonNull(loginsFailed, "loginsFailed");
        Objects.requireNonNull(loginsLocked, "loginsLocked");
        Objects.requireNonNull(clusterLinks, "clusterLinks");
        Objects.requireNonNull(retriesSent, "retriesSent");
        Objects.requireNonNull(retriesValidated, "retriesValidated");
    }
}

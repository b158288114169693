package org.mpft.plugin;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.mpft.api.HostContext;
import org.mpft.protocol.Bytes;

/**
 * What every session of one listener shares: the settings, the host, the thread pool for blocking work
 * (host calls, chunk reads) and the server's certificate fingerprint.
 *
 * @param settings          the plugin's settings
 * @param host              the host's authenticator and file access
 * @param io                runs blocking work off the event loop
 * @param certificateSha256 the SHA-256 of the listener's TLS certificate (bound into public-key logins)
 * @param transferIds       hands out transfer ids, unique on this listener
 * @param limiter           the instance's send-rate cap ({@code mpft.max-send-rate})
 * @param cluster           a primary's secondaries, or null when it has none (or is a secondary)
 * @param secondary         a secondary's role, or null for a primary
 * @param digests           where a primary computes its chunk digests ahead of its secondaries
 * @param chunks            the instance's chunk cache, compression and counters
 * @param prefetch          the instance's read-ahead pool and budget ({@code mpft.prefetch})
 * @param digestStore       where a primary keeps its chunk digests across restarts
 */
record SessionServices(MpftSettings settings, HostContext host, Executor io, Bytes certificateSha256,
                       AtomicLong transferIds, SendRateLimiter limiter, PrimaryCluster cluster,
                       SecondaryRole secondary, Executor digests, ChunkSource chunks,
                       ChunkPrefetcher.Pool prefetch, DigestStore digestStore) {

    SessionServices {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(certificateSha256, "certificateSha256");
        Objects.requireNonNull(transferIds, "transferIds");
        Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(digests, "digests");
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(prefetch, "prefetch");
        Objects.requireNonNull(digestStore, "digestStore");
    }
}

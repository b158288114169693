package org.mpft.plugin;

import java.time.Duration;
import java.util.Map;
import org.mpft.api.ChannelStartException;
import org.mpft.protocol.ChunkPlan;

/** The rules that tie settings together (sizes against budgets, TLS pairs, a role's required keys). */
final class SettingRules {

    private SettingRules() {
    }

    /**
     * Checks the rules that tie keys together, each failing with a message naming the keys.
     *
     * @param s     the parsed settings
     * @param texts the configured texts, by key, for the messages
     */
    static void check(MpftSettings s, Map<String, String> texts) throws ChannelStartException {
        if (s.chunkSizeMax() < s.chunkSizeMin()) {
            throw Setting.invalid(MpftKeys.CHUNK_SIZE_MAX.key(), texts.get(MpftKeys.CHUNK_SIZE_MAX.key()),
                    SettingParsers.sizeRange(s.chunkSizeMin(), ChunkPlan.MAX_CHUNK_SIZE));
        }
        if (s.authBackoffMax().compareTo(s.authBackoffBase()) < 0) {
            throw Setting.invalid(MpftKeys.AUTH_BACKOFF_MAX.key(), texts.get(MpftKeys.AUTH_BACKOFF_MAX.key()),
                    SettingParsers.durationRange(s.authBackoffBase(), Duration.ofDays(1)));
        }
        // a fixed mpft.chunk-size is the only size served; otherwise the policy may go up to chunk-size.max
        long largestChunk = s.chunkSizeFixed() ? s.chunkSize() : Math.max(s.chunkSize(), s.chunkSizeMax());
        if ((long) s.window() * largestChunk > s.maxBytesInFlight()) {
            String window = MpftKeys.WINDOW.key();
            throw new ChannelStartException("invalid setting " + MpftKeys.MAX_BYTES_IN_FLIGHT.key() + "="
                    + texts.get(MpftKeys.MAX_BYTES_IN_FLIGHT.key()) + ": " + window + " (" + s.window()
                    + ") x the largest chunk (" + largestChunk + " bytes) would put " + (long) s.window() * largestChunk
                    + " bytes in flight; raise it or lower " + window + " or " + MpftKeys.CHUNK_SIZE_MAX.key());
        }
        if ((long) s.window() * largestChunk > s.maxBytesHeld()) {
            throw new ChannelStartException("invalid setting " + MpftKeys.MAX_BYTES_HELD.key() + "="
                    + texts.get(MpftKeys.MAX_BYTES_HELD.key()) + ": smaller than " + MpftKeys.WINDOW.key() + " ("
                    + s.window() + ") x the largest chunk (" + largestChunk + " bytes); raise it or lower "
                    + MpftKeys.WINDOW.key() + " or " + MpftKeys.CHUNK_SIZE_MAX.key());
        }
        if ((s.tlsCertificate() == null) != (s.tlsKey() == null)) {
            String set = s.tlsCertificate() != null ? MpftKeys.TLS_CERTIFICATE.key() : MpftKeys.TLS_KEY.key();
            String missing = s.tlsCertificate() != null ? MpftKeys.TLS_KEY.key() : MpftKeys.TLS_CERTIFICATE.key();
            throw new ChannelStartException("invalid setting " + set + "=" + texts.get(set) + ": it requires "
                    + missing + " (set both, or neither for the self-signed certificate clients pin)");
        }
        if (s.role() == MpftSettings.Role.SECONDARY && (s.clusterSecretFile() == null || s.acceptPrimaries().isEmpty())) {
            throw new ChannelStartException("invalid setting " + MpftKeys.ROLE.key() + "=secondary: it requires "
                    + MpftKeys.CLUSTER_SECRET_FILE.key() + " and " + MpftKeys.ACCEPT_PRIMARIES.key());
        }
        if (s.role() == MpftSettings.Role.SECONDARY && !s.secondaries().isEmpty()) {
            throw new ChannelStartException("invalid setting " + MpftKeys.SECONDARIES.key()
                    + ": only a primary has secondaries (" + MpftKeys.ROLE.key() + "=secondary)");
        }
        if (!s.secondaries().isEmpty() && s.clusterSecretFile() == null) {
            throw new ChannelStartException("invalid setting " + MpftKeys.SECONDARIES.key() + ": secondaries require "
                    + MpftKeys.CLUSTER_SECRET_FILE.key());
        }
    }

}

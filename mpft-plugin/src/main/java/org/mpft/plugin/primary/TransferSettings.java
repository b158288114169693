package org.mpft.plugin.primary;

import java.util.Objects;
import org.mpft.plugin.schedule.ChunkTimeoutPolicy;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.Strategy;

/**
 * The settings a primary transfer runs with, read once from the plugin's configuration.
 *
 * @param window         the most chunks in flight per path ({@code mpft.window})
 * @param chunkRetries   failures of one chunk tolerated before the transfer fails ({@code mpft.chunk-retries})
 * @param chunkTimeouts  when a secondary's chunk counts as lost ({@code mpft.chunk-timeout})
 * @param strategy       the strategy of a client that leaves the choice to the server ({@code mpft.strategy})
 * @param checksum       how every chunk is checked ({@code mpft.checksum})
 * @param chunkSize      the chunk size, bytes: fixed, or the aim while no speed is measured ({@code mpft.chunk-size})
 * @param chunkSizeFixed true when {@code chunkSize} is used as it is
 * @param chunkSizeMin   the smallest chunk size chosen, bytes
 * @param chunkSizeMax   the largest chunk size chosen, bytes
 */
public record TransferSettings(int window, int chunkRetries, ChunkTimeoutPolicy chunkTimeouts, Strategy strategy,
                               ChecksumAlgorithm checksum, int chunkSize, boolean chunkSizeFixed, int chunkSizeMin,
                               int chunkSizeMax) {

    /** Checks the values. */
    public TransferSettings {
        Objects.requireNonNull(chunkTimeouts, "chunkTimeouts");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(checksum, "checksum");
        if (window < 1) {
            throw new IllegalArgumentException("window < 1");
        }
    }
}

package org.mpft.plugin.secondary;

import java.util.HashMap;
import java.util.Map;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * How often the client attached to one transfer asked this secondary for each chunk again (its NACKs): at
 * most {@code mpft.chunk-retries} times per chunk, as the primary allows, so that a client cannot make a
 * secondary read and send one chunk without end. Thread-safe.
 */
final class ResendCap {

    private final int max;
    private final Map<Integer, Integer> asked = new HashMap<>();

    /** @param max the resends allowed per chunk */
    ResendCap(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max < 0");
        }
        this.max = max;
    }

    /**
     * Counts one more request of {@code chunk}.
     *
     * @param what names the transfer and this secondary, for the error
     * @throws MpftException CHUNK_CORRUPTION once the chunk was asked for again more than {@code max} times
     */
    synchronized void askedAgain(int chunk, String what) throws MpftException {
        int count = asked.merge(chunk, 1, Integer::sum);
        if (count > max) {
            throw new MpftException(ErrorCode.CHUNK_CORRUPTION, "chunk " + chunk + " of " + what + " was asked for"
                    + " again " + count + " times, more than the " + max + " resends allowed");
        }
    }
}

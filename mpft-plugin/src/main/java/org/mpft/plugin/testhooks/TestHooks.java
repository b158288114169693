package org.mpft.plugin.testhooks;

import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.mpft.protocol.ChunkHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TEST-ONLY fault injection on the way out of a chunk, for the recovery integration tests. Inactive (one
 * null check per chunk) unless the host JVM was started with one of these system properties, which no
 * configuration file can set:
 * <ul>
 *   <li>{@value #CORRUPT_CHUNKS}{@code =3,7}: the first time each listed chunk (index from 0) of a transfer is
 *       sent, one byte of its payload is flipped after its checksum was computed (on a copy: the chunk cache
 *       keeps the good bytes), so the client sees a chunk that fails its checksum;</li>
 *   <li>{@value #STALL_AFTER_CHUNKS}{@code =N}: after N chunks this instance stops sending chunks without
 *       closing anything (the chunks are dropped silently, CHUNK_SENT is still reported), as a path that
 *       stalls would;</li>
 *   <li>{@value #HOLD_CHUNKS_UNTIL}{@code =FILE}: a chunk is sent only while FILE exists; until then it waits
 *       on the connection's event loop (looked at again every {@value #HOLD_RECHECK_MILLIS} ms) and is dropped
 *       if its connection closes or its transfer is aborted meanwhile, so that a test can hold a download open
 *       for as long as it needs (and then create FILE to let it finish) instead of hoping it is slow;</li>
 *   <li>{@value #HOLD_AFTER_CHUNKS}{@code =N}, only together with {@value #HOLD_CHUNKS_UNTIL}: the first N chunks
 *       this instance sends (counted over all its connections and transfers since it started) are never held;
 *       every later one is held as above while FILE is missing, so that a test sees a download stop at a known
 *       point (N chunks in) and kills or interrupts a side there instead of hoping to land in the middle.</li>
 * </ul>
 * When active, the instance logs a warning when it sends its first chunk. See SECURITY.md ("Test hooks"). Thread-safe.
 */
public final class TestHooks {

    /** System property: chunk indices to corrupt once per transfer (test only). */
    static final String CORRUPT_CHUNKS = "mpft.test.corrupt-chunks";
    /** System property: chunks this instance sends before it stalls (test only). */
    static final String STALL_AFTER_CHUNKS = "mpft.test.stall-after-chunks";
    /** System property: a file; chunks are held while it does not exist (test only). */
    static final String HOLD_CHUNKS_UNTIL = "mpft.test.hold-chunks-until";
    /** System property: chunks this instance sends before the {@value #HOLD_CHUNKS_UNTIL} hold applies (test only). */
    static final String HOLD_AFTER_CHUNKS = "mpft.test.hold-after-chunks";
    /** How often a held chunk looks for the {@value #HOLD_CHUNKS_UNTIL} file again, ms. */
    public static final long HOLD_RECHECK_MILLIS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(TestHooks.class);
    private static final TestHooks ACTIVE = fromSystemProperties();

    private final Set<Integer> corrupt;
    private final long stallAfter;
    private final Set<String> corrupted = new HashSet<>();
    private final AtomicLong sent = new AtomicLong();
    private final Path holdUntil;
    private final long holdAfter;
    private final AtomicLong passedHold = new AtomicLong();

    TestHooks(Set<Integer> corrupt, long stallAfter) {
        this(corrupt, stallAfter, null, 0);
    }

    TestHooks(Set<Integer> corrupt, long stallAfter, Path holdUntil, long holdAfter) {
        this.corrupt = Set.copyOf(corrupt);
        this.stallAfter = stallAfter;
        this.holdUntil = holdUntil;
        this.holdAfter = holdAfter;
    }

    /** The hooks of this JVM, or null when none is set (the normal case). */
    public static TestHooks active() {
        return ACTIVE;
    }

    private static TestHooks fromSystemProperties() {
        String corruptList = System.getProperty(CORRUPT_CHUNKS, "").trim();
        String stall = System.getProperty(STALL_AFTER_CHUNKS, "").trim();
        String hold = System.getProperty(HOLD_CHUNKS_UNTIL, "").trim();
        String holdAfter = System.getProperty(HOLD_AFTER_CHUNKS, "").trim();
        if (corruptList.isEmpty() && stall.isEmpty() && hold.isEmpty() && holdAfter.isEmpty()) {
            return null;
        }
        Set<Integer> chunks = new HashSet<>();
        for (String part : corruptList.split(",")) {
            if (!part.isBlank()) {
                chunks.add(Integer.parseInt(part.trim()));
            }
        }
        long stallAfter = stall.isEmpty() ? -1 : Long.parseLong(stall);
        LOG.warn("TEST HOOKS ACTIVE ({}={}, {}={}): this instance damages or drops chunks on purpose; never use "
                + "this outside tests", CORRUPT_CHUNKS, corruptList, STALL_AFTER_CHUNKS, stall);
        if (!hold.isEmpty()) {
            LOG.warn("TEST HOOKS ACTIVE ({}={}, {}={}): chunks wait until that file exists; never use this outside "
                    + "tests", HOLD_CHUNKS_UNTIL, hold, HOLD_AFTER_CHUNKS, holdAfter);
        } else if (!holdAfter.isEmpty()) {
            LOG.warn("TEST HOOK {}={} has no effect without {}", HOLD_AFTER_CHUNKS, holdAfter, HOLD_CHUNKS_UNTIL);
        }
        return new TestHooks(chunks, stallAfter, hold.isEmpty() ? null : Path.of(hold),
                holdAfter.isEmpty() ? 0 : Long.parseLong(holdAfter));
    }

    /**
     * Whether the chunk about to be sent must wait now: a {@value #HOLD_CHUNKS_UNTIL} file is set, does not
     * exist yet, and this instance already let its {@value #HOLD_AFTER_CHUNKS} chunks through. A chunk told
     * not to wait counts as one of those (atomically, so that connections on other event loops never let
     * more than N through between them); the caller sends it at once.
     */
    public boolean holdsChunks() {
        if (holdUntil == null) {
            return false;
        }
        for (long passed = passedHold.get(); passed < holdAfter; passed = passedHold.get()) {
            if (passedHold.compareAndSet(passed, passed + 1)) {
                return false; // one of the first N: never held
            }
        }
        return !Files.exists(holdUntil);
    }

    /**
     * Applies the hooks to a chunk about to be sent.
     *
     * @return the payload to send (possibly a damaged copy; {@code payload} then released), or null when the
     *         chunk is swallowed (stalled; {@code payload} released)
     */
    public ByteBuf beforeSend(ChunkHeader header, ByteBuf payload) {
        if (stallAfter >= 0 && sent.incrementAndGet() > stallAfter) {
            if (sent.get() == stallAfter + 1) {
                LOG.warn("TEST HOOK {}: stalling after {} chunks (chunk {} of transfer {} and later are dropped)",
                        STALL_AFTER_CHUNKS, stallAfter, header.chunk(), header.transferId());
            }
            payload.release();
            return null;
        }
        if (!corrupt.contains(header.chunk()) || payload.readableBytes() == 0) {
            return payload;
        }
        synchronized (corrupted) {
            if (!corrupted.add(header.transferId() + "/" + header.chunk())) {
                return payload;
            }
        }
        ByteBuf copy = payload.copy();
        payload.release();
        int at = copy.readerIndex() + copy.readableBytes() / 2;
        copy.setByte(at, copy.getByte(at) ^ 0x5A);
        LOG.warn("TEST HOOK {}: flipped a byte of chunk {} of transfer {}", CORRUPT_CHUNKS, header.chunk(),
                header.transferId());
        return copy;
    }
}

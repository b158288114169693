package org.mpft.plugin.secondary;

import org.mpft.plugin.cluster.ClusterSecret;
import org.mpft.plugin.cluster.Ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.mpft.api.AccessDenied;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.Authenticator;
import org.mpft.api.FileAccess;
import org.mpft.api.HostContext;
import org.mpft.api.NoSuchFile;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RegisterTransfer;

class SecondaryTransfersTest {

    private static final ClusterSecret SECRET = ClusterSecret.of("z".repeat(40).getBytes(StandardCharsets.US_ASCII));
    private static final int CHUNK = 4096;
    private static final long SIZE = 10 * CHUNK + 100;
    private static final long MTIME = 1_600_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final AtomicInteger openFiles = new AtomicInteger();
    /** user -> path -> {size, mtime}; a missing user is unknown; "secret/..." paths are denied */
    private final Map<String, Map<String, long[]>> files = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** The wait ends that attaches scheduled: a timer the test fires by hand. */
    private final List<Runnable> waitEnds = new ArrayList<>();
    private final BiConsumer<Long, Runnable> timer = (millis, task) -> {
        assertThat(millis).isEqualTo(SecondaryTransfers.REGISTRATION_WAIT_MS);
        waitEnds.add(task);
    };

    private SecondaryTransfers registry() {
        files.computeIfAbsent("alice", u -> new HashMap<>()).put("data/big.bin", new long[] {SIZE, MTIME});
        files.computeIfAbsent("bob", u -> new HashMap<>());
        Authenticator authenticator = new Authenticator() {
            @Override
            public Principal authenticatePassword(String user, char[] password) throws AuthenticationFailed {
                throw new AuthenticationFailed("no");
            }

            @Override
            public Principal authenticatePublicKey(String user, PublicKey key, byte[] data, byte[] signature)
                    throws AuthenticationFailed {
                throw new AuthenticationFailed("no");
            }

            @Override
            public Principal lookup(String user) throws AuthenticationFailed {
                if (!files.containsKey(user)) {
                    throw new AuthenticationFailed("unknown");
                }
                return Principal.of(user);
            }
        };
        FileAccess access = (user, path) -> {
            if (path.startsWith("secret/")) {
                throw new AccessDenied("denied");
            }
            long[] f = files.get(user.name()).get(path);
            if (f == null) {
                throw new NoSuchFile("none");
            }
            openFiles.incrementAndGet();
            return new ReadableFile() {
                private boolean closed;

                @Override
                public long size() {
                    return f[0];
                }

                @Override
                public long lastModifiedMillis() {
                    return f[1];
                }

                @Override
                public int read(ByteBuffer dst, long position) {
                    return -1;
                }

                @Override
                public void close() throws IOException {
                    if (!closed) {
                        closed = true;
                        openFiles.decrementAndGet();
                    }
                }
            };
        };
        HostContext host = new HostContext(authenticator, access, Path.of("/tmp"), Map.of());
        return new SecondaryTransfers(SECRET, "sec-1", host, now::get, Duration.ofMinutes(2), 4);
    }

    private Ticket ticket(long transferId, String user, String path) {
        return Ticket.issue(transferId, user, path, SIZE, MTIME, CHUNK, "sec-1", now.get() + 30_000, random);
    }

    private static RegisterTransfer registration(Ticket t) {
        return new RegisterTransfer(t.transferId(), t.user(), t.path(), t.size(), t.mtimeMillis(), t.chunkSize(),
                ChecksumAlgorithm.SHA256, t.id(), t.expiresAtMillis());
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MpftException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    /**
     * The primary answers the client before its registration is confirmed, so an attach can come first: it
     * waits for the registration, holding no thread, and is answered when the registration is made.
     */
    @Test
    void anAttachThatComesBeforeItsRegistrationWaitsForIt() throws Exception {
        SecondaryTransfers registry = registry();
        Ticket t = ticket(9, "alice", "data/big.bin");
        CompletableFuture<RegisteredTransfer> attached = registry.attach(t.seal(SECRET), timer);
        assertThat(attached).as("no answer before the registration").isNotDone();
        assertThat(waitEnds).as("the wait's end is scheduled").hasSize(1);
        assertThat(registry.waitingAttaches()).isEqualTo(1);

        registry.register("prim", registration(t));

        assertThat(attached).isCompletedWithValueMatching(r -> r.transferId() == 9);
        assertThat(registry.waitingAttaches()).isZero();
        endTheWaits(); // the timer fires later: the attach stays
        assertThat(attached).isCompletedWithValueMatching(r -> r.transferId() == 9);
        assertThatThrownBy(() -> attach(registry, t.seal(SECRET))).hasMessageContaining("already attached");
    }

    /**
     * An attach whose registration does not come is refused when its wait ends; at most {@value WaitingAttaches#MAX}
     * wait at once (more are refused at once), and a registration made after its attach gave up is not taken by it.
     */
    @Test
    void waitingAttachesAreBoundedAndRefusedWhenTheirWaitEnds() throws Exception {
        SecondaryTransfers registry = registry();
        List<CompletableFuture<RegisteredTransfer>> waiting = new ArrayList<>();
        for (int i = 0; i < WaitingAttaches.MAX; i++) {
            waiting.add(registry.attach(ticket(1000 + i, "alice", "data/big.bin").seal(SECRET), timer));
        }
        assertThat(waiting).allMatch(w -> !w.isDone());
        CompletableFuture<RegisteredTransfer> one = registry.attach(ticket(20, "alice", "data/big.bin").seal(SECRET),
                timer);
        assertThat(one).as("one more is refused at once").isCompletedExceptionally();
        Ticket twice = ticket(21, "alice", "data/big.bin");
        endTheWaits();
        waiting.add(registry.attach(twice.seal(SECRET), timer));
        assertThat(registry.attach(twice.seal(SECRET), timer)).as("a second attach with a waiting ticket")
                .isCompletedExceptionally();

        endTheWaits();
        assertThat(waiting).allSatisfy(w -> assertThatThrownBy(w::join).hasCauseInstanceOf(MpftException.class)
                .hasMessageContaining("is registered on sec-1"));
        assertThat(registry.waitingAttaches()).isZero();
        registry.register("prim", registration(twice));
        assertThat(attach(registry, twice.seal(SECRET)).transferId()).as("not taken by the attach that gave up")
                .isEqualTo(21);
    }

    @Test
    void registeredTransferAcceptsItsTicketAndServesOnlyAssignedChunks() throws Exception {
        SecondaryTransfers registry = registry();
        Ticket t = ticket(7, "alice", "data/big.bin");
        registry.register("prim", registration(t));
        assertThat(openFiles.get()).isEqualTo(1);
        RegisteredTransfer attached = attach(registry, t.seal(SECRET));
        assertThat(attached.transferId()).isEqualTo(7);
        assertThat(attached.user().name()).isEqualTo("alice");
        registry.assign("prim", 7, 1, CHUNK, CHUNK);
        registry.assign("prim", 7, 10, 10L * CHUNK, 100);
        assertThat(registry.isAssigned(attached, 1)).isTrue();
        assertThat(registry.isAssigned(attached, 10)).isTrue();
        assertThat(registry.isAssigned(attached, 2)).isFalse();
        registry.checkAssigned(attached, 1);
        assertThatThrownBy(() -> registry.checkAssigned(attached, 2))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TICKET))
                .hasMessageContaining("chunk 2").hasMessageContaining("not assigned");
        registry.end("prim", 7);
        assertThat(openFiles.get()).isZero();
        assertCode(() -> registry.assign("prim", 7, 3, 3L * CHUNK, CHUNK), ErrorCode.INVALID_TICKET);
    }

    @Test
    void userAndRightsAreCheckedThroughThisHost() {
        SecondaryTransfers registry = registry();
        assertCode(() -> registry.register("prim", registration(ticket(1, "mallory", "data/big.bin"))),
                ErrorCode.ACCESS_DENIED);
        assertCode(() -> registry.register("prim", registration(ticket(2, "alice", "secret/x"))),
                ErrorCode.ACCESS_DENIED);
        assertCode(() -> registry.register("prim", registration(ticket(3, "bob", "data/big.bin"))),
                ErrorCode.FILE_NOT_FOUND);
        assertCode(() -> registry.register("prim", registration(ticket(4, "alice", "../etc/passwd"))),
                ErrorCode.INVALID_PATH);
        assertThat(registry.size()).isZero();
    }

    @Test
    void copyWithOtherSizeOrMtimeIsStale() {
        SecondaryTransfers registry = registry();
        files.get("alice").put("data/big.bin", new long[] {SIZE, MTIME + 1});
        assertThatThrownBy(() -> registry.register("prim", registration(ticket(1, "alice", "data/big.bin"))))
                .isInstanceOfSatisfying(MpftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_FILE))
                .hasMessageContaining("sec-1").hasMessageContaining("mtime");
        files.get("alice").put("data/big.bin", new long[] {SIZE - 1, MTIME});
        assertCode(() -> registry.register("prim", registration(ticket(2, "alice", "data/big.bin"))),
                ErrorCode.STALE_FILE);
        assertThat(openFiles.get()).isZero();
    }

    @Test
    void forgedExpiredForeignAndReusedTicketsAreRefused() throws Exception {
        SecondaryTransfers registry = registry();
        Ticket t = ticket(7, "alice", "data/big.bin");
        registry.register("prim", registration(t));
        byte[] forged = t.seal(SECRET).toByteArray();
        forged[10] ^= 1;
        assertCode(() -> attach(registry, Bytes.of(forged)), ErrorCode.INVALID_TICKET);
        // sealed with another cluster's secret
        ClusterSecret other = ClusterSecret.of("y".repeat(40).getBytes(StandardCharsets.US_ASCII));
        assertCode(() -> attach(registry, t.seal(other)), ErrorCode.INVALID_TICKET);
        // a genuine ticket whose id was never registered
        assertCode(() -> attach(registry, ticket(7, "alice", "data/big.bin").seal(SECRET)), ErrorCode.INVALID_TICKET);
        // a genuine ticket for another transfer that reuses this registration's id
        Ticket otherTransfer = new Ticket(8, "alice", "data/big.bin", SIZE, MTIME, CHUNK, "sec-1",
                t.expiresAtMillis(), t.id());
        assertThatThrownBy(() -> attach(registry, otherTransfer.seal(SECRET))).hasMessageContaining("another transfer");
        // expired
        now.addAndGet(30_000);
        assertThatThrownBy(() -> attach(registry, t.seal(SECRET))).hasMessageContaining("expired");
        now.addAndGet(-30_000);
        attach(registry, t.seal(SECRET));
        assertThatThrownBy(() -> attach(registry, t.seal(SECRET))).hasMessageContaining("already attached");
    }

    @Test
    void ticketOutlivingTheSecondarysCapIsRefused() throws Exception {
        SecondaryTransfers registry = registry();
        Ticket longLived = Ticket.issue(9, "alice", "data/big.bin", SIZE, MTIME, CHUNK, "sec-1",
                now.get() + Duration.ofHours(1).toMillis(), random);
        registry.register("prim", registration(longLived));
        assertThatThrownBy(() -> attach(registry, longLived.seal(SECRET)))
                .isInstanceOfSatisfying(MpftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TICKET))
                .hasMessageContaining("mpft.cluster.max-ticket-lifetime");
    }

    @Test
    void sendChunkMustMatchThePlan() throws Exception {
        SecondaryTransfers registry = registry();
        registry.register("prim", registration(ticket(7, "alice", "data/big.bin")));
        assertCode(() -> registry.assign("prim", 7, 11, 11L * CHUNK, CHUNK), ErrorCode.PROTOCOL_ERROR);
        assertCode(() -> registry.assign("prim", 7, 1, 0, CHUNK), ErrorCode.PROTOCOL_ERROR);
        assertCode(() -> registry.assign("prim", 7, 10, 10L * CHUNK, CHUNK), ErrorCode.PROTOCOL_ERROR);
        // another primary's transfer 7 is another transfer
        assertCode(() -> registry.assign("other", 7, 1, CHUNK, CHUNK), ErrorCode.INVALID_TICKET);
    }

    @Test
    void unattachedRegistrationsExpireAndLimitsHold() throws Exception {
        SecondaryTransfers registry = registry();
        Ticket a = ticket(1, "alice", "data/big.bin");
        registry.register("prim", registration(a));
        attach(registry, a.seal(SECRET));
        for (long id = 2; id <= 4; id++) {
            registry.register("prim", registration(ticket(id, "alice", "data/big.bin")));
        }
        assertCode(() -> registry.register("prim", registration(ticket(5, "alice", "data/big.bin"))),
                ErrorCode.LIMIT_EXCEEDED);
        assertThat(openFiles.get()).isEqualTo(4);
        now.addAndGet(30_001);
        registry.expire();
        assertThat(registry.size()).isEqualTo(1); // the attached one stays until END_TRANSFER
        assertThat(openFiles.get()).isEqualTo(1);
        assertCode(() -> registry.register("prim", registration(new Ticket(9, "alice", "data/big.bin", SIZE, MTIME,
                CHUNK, "sec-1", now.get() - 1, a.id()))), ErrorCode.INVALID_TICKET);
        registry.endAll("prim");
        assertThat(registry.size()).isZero();
        assertThat(openFiles.get()).isZero();
        registry.close();
        assertThat(List.of(registry.size())).containsExactly(0);
    }

    /**
     * A client often attaches after its transfer ended (the primary sent a small file whole first): that attach is
     * refused at once, saying so, instead of waiting for a registration that will not come. So is one for a transfer
     * whose registration was refused here; one that is waiting when its transfer is refused stops waiting.
     */
    @Test
    void anAttachForATransferThatEndedOrWasRefusedIsRefusedAtOnce() throws Exception {
        SecondaryTransfers registry = registry();
        Ticket t = ticket(40, "alice", "data/big.bin");
        registry.register("prim", registration(t));
        registry.end("prim", 40);
        assertThat(registry.attach(t.seal(SECRET), timer)).isCompletedExceptionally();
        assertThatThrownBy(() -> attach(registry, t.seal(SECRET))).isInstanceOfSatisfying(MpftException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TICKET)).hasMessageContaining("ended on sec-1");

        Ticket refused = ticket(41, "mallory", "data/big.bin");
        CompletableFuture<RegisteredTransfer> answer = registry.attach(refused.seal(SECRET), timer);
        assertThat(answer).as("waiting for its registration").isNotDone();
        assertCode(() -> registry.register("prim", registration(refused)), ErrorCode.ACCESS_DENIED);
        assertThatThrownBy(answer::join).hasCauseInstanceOf(MpftException.class).hasMessageContaining("ended on sec-1");
        assertThat(registry.attach(refused.seal(SECRET), timer)).isCompletedExceptionally();
        assertThat(waitEnds).as("only the attach that waited scheduled its wait's end").hasSize(1);
    }

    /** A closing secondary refuses the attaches that wait. */
    @Test
    void closingRefusesTheAttachesThatWait() {
        SecondaryTransfers registry = registry();
        CompletableFuture<RegisteredTransfer> answer = registry.attach(ticket(50, "alice", "data/big.bin")
                .seal(SECRET), timer);
        registry.close();
        assertThatThrownBy(answer::join).hasCauseInstanceOf(MpftException.class).hasMessageContaining("shutting down");
    }

    /**
     * Attaches with {@code sealed} as a client would: when the attach waits for its registration, its wait ends (the
     * test's timer fires); returns the registration it attached to, or throws why not.
     */
    private RegisteredTransfer attach(SecondaryTransfers registry, Bytes sealed) throws MpftException {
        CompletableFuture<RegisteredTransfer> answer = registry.attach(sealed, timer);
        if (!answer.isDone()) {
            endTheWaits();
        }
        try {
            return answer.join();
        } catch (CompletionException e) {
            throw (MpftException) e.getCause();
        }
    }

    /** Runs the wait ends scheduled so far, as the event loop's timer would once their time came. */
    private void endTheWaits() {
        List<Runnable> due = new ArrayList<>(waitEnds);
        waitEnds.clear();
        due.forEach(Runnable::run);
    }
}

package org.mpft.plugin.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChunkError;
import org.mpft.protocol.ChunkSent;
import org.mpft.protocol.ClientAttached;
import org.mpft.protocol.EndTransfer;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.TransferRefused;
import org.mpft.protocol.TransferRegistered;

/** A link's transfers without a link: answers, refusals, overdue registrations, the link closing. */
class LinkTransfersTest {

    private final LinkTransfers transfers = new LinkTransfers("10.0.0.2:7300");

    /** Records what a transfer hears. */
    private static final class Events implements ClusterLink.TransferListener {
        final List<Object> heard = new ArrayList<>();

        @Override
        public void attached() {
            heard.add("attached");
        }

        @Override
        public void chunkSent(ChunkSent sent) {
            heard.add(sent);
        }

        @Override
        public void chunkError(ChunkError error) {
            heard.add(error);
        }

        @Override
        public void linkDown() {
            heard.add("down");
        }
    }

    private static MpftException failure(CompletableFuture<Void> answer) {
        assertThat(answer).isCompletedExceptionally();
        try {
            answer.get();
        } catch (ExecutionException e) {
            return (MpftException) e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not failed");
    }

    @Test
    void anAnswerConfirmsAndEventsReachTheTransfer() {
        Events events = new Events();
        CompletableFuture<Void> answer = transfers.expect(4, events);
        assertThat(answer).isNotDone();

        assertThat(transfers.dispatch(new TransferRegistered(4))).isTrue();
        assertThat(answer).isCompleted();
        transfers.overdue(4, 1000); // the answer came first: nothing happens
        assertThat(answer).isCompleted().isNotCompletedExceptionally();

        ChunkSent sent = new ChunkSent(4, 1, Bytes.of(new byte[32]), 4096, 1000);
        transfers.dispatch(new ClientAttached(4));
        transfers.dispatch(sent);
        transfers.dispatch(new ClientAttached(5)); // another transfer: nobody listens
        assertThat(events.heard).containsExactly("attached", sent);
    }

    @Test
    void anOverdueRegistrationFailsAndIsForgotten() {
        Events events = new Events();
        CompletableFuture<Void> answer = transfers.expect(7, events);

        transfers.overdue(7, 1000);

        MpftException e = failure(answer);
        assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE);
        assertThat(e.getMessage()).contains("10.0.0.2:7300").contains("transfer 7").contains("1000 ms");
        // a late answer and late events change nothing
        transfers.dispatch(new TransferRegistered(7));
        transfers.dispatch(new ClientAttached(7));
        transfers.linkClosed();
        assertThat(events.heard).isEmpty();
    }

    @Test
    void aRefusalCarriesTheSecondarysCode() {
        Events events = new Events();
        CompletableFuture<Void> answer = transfers.expect(2, events);

        transfers.dispatch(new TransferRefused(2, ErrorCode.STALE_FILE, "older copy"));

        assertThat(failure(answer).code()).isEqualTo(ErrorCode.STALE_FILE);
        transfers.dispatch(new ClientAttached(2));
        assertThat(events.heard).isEmpty();
    }

    @Test
    void theLinkClosingFailsWaitingRegistrationsAndTellsEveryTransfer() {
        Events confirmed = new Events();
        Events waiting = new Events();
        transfers.expect(1, confirmed);
        transfers.dispatch(new TransferRegistered(1));
        CompletableFuture<Void> answer = transfers.expect(2, waiting);

        transfers.linkClosed();

        assertThat(failure(answer).code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE);
        assertThat(confirmed.heard).containsExactly("down");
        assertThat(waiting.heard).containsExactly("down");
    }

    @Test
    void forgettingCancelsAWaitingRegistration() {
        CompletableFuture<Void> answer = transfers.expect(3, new Events());
        transfers.forget(3);
        assertThat(answer).isCancelled();
    }

    @Test
    void framesThatAreNotATransfersAreNotRouted() {
        assertThat(transfers.dispatch(new EndTransfer(1))).isFalse();
    }
}

package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A connection's chunk streams go to the transfer of their transferId, and nowhere once it ended. */
class TransferRoutesTest {

    private final TransferRoutes routes = new TransferRoutes();

    @Test
    void eachTransferHasItsOwnSink() {
        List<DownloadEvent> first = new ArrayList<>();
        List<DownloadEvent> second = new ArrayList<>();
        routes.add(1, first::add);
        routes.add(2, second::add);

        routes.sink(2).accept(new DownloadEvent.Cancelled());

        assertThat(first).isEmpty();
        assertThat(second).hasSize(1);
    }

    @Test
    void anUnknownTransferHasNoSink() {
        routes.add(1, e -> { });
        assertThat(routes.sink(7)).isNull();
    }

    @Test
    void aRemovedTransferHasNoSinkAndTheOthersKeepTheirs() {
        Consumer<DownloadEvent> kept = e -> { };
        routes.add(1, e -> { });
        routes.add(2, kept);

        routes.remove(1);

        assertThat(routes.sink(1)).isNull();
        assertThat(routes.sink(2)).isSameAs(kept);
        routes.remove(1); // removing twice is harmless
    }

    @Test
    void addingAnIdAgainReplacesItsSink() {
        Consumer<DownloadEvent> later = e -> { };
        routes.add(3, e -> { });
        routes.add(3, later);
        assertThat(routes.sink(3)).isSameAs(later);
    }
}

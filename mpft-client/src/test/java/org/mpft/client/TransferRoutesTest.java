package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A connection's chunk streams go to the transfer of their id; an id no transfer holds has no sink. */
class TransferRoutesTest {

    @Test
    void routesByTransferIdAndAnUnknownIdHasNoSink() {
        TransferRoutes routes = new TransferRoutes();
        List<DownloadEvent> a = new ArrayList<>();
        List<DownloadEvent> b = new ArrayList<>();
        Consumer<DownloadEvent> sinkA = a::add;
        Consumer<DownloadEvent> sinkB = b::add;
        routes.add(1, sinkA);
        routes.add(2, sinkB);
        assertThat(routes.sink(1)).isSameAs(sinkA);
        assertThat(routes.sink(2)).isSameAs(sinkB);
        assertThat(routes.sink(3)).as("no transfer with this id").isNull();
        routes.remove(1);
        assertThat(routes.sink(1)).as("a transfer that ended").isNull();
        assertThat(routes.sink(2)).isSameAs(sinkB);
    }
}

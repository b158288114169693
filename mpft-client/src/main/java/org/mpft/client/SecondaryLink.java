package org.mpft.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mpft.protocol.ErrorFrame;

/**
 * One connection to a secondary and the transfers attached on it: routes its chunks by transferId and its
 * control stream's frames to the transfer that attached there; a lost connection reaches every transfer on
 * it. Made and replaced by {@link SecondaryConnections}, which reads and sets its state flags. Thread-safe.
 */
final class SecondaryLink implements Consumer<DownloadEvent> {
    private final TransferRoutes routes = new TransferRoutes();
    private final Map<Long, Supplier<ChunkVerifier>> verifiers = new ConcurrentHashMap<>();
    volatile PrimaryConnection connection;
    /** the transfer attached on the control stream, while it runs; -1: none */
    private volatile long controlTransfer = -1;
    /** the connection died, or is found dead or closing: the next attach replaces it */
    volatile boolean dead;
    /** the secondary closed a further stream unanswered: it does not take them (no TRANSFER_STREAMS) */
    volatile boolean streamsRefused;

    void add(long transferId, Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink, boolean onControl) {
        verifiers.put(transferId, verifier);
        routes.add(transferId, sink);
        if (onControl) {
            controlTransfer = transferId;
        }
    }

    void forget(long transferId) {
        routes.remove(transferId);
        verifiers.remove(transferId);
        if (controlTransfer == transferId) {
            controlTransfer = -1;
        }
    }

    ChunkVerifier verifier(long transferId) {
        Supplier<ChunkVerifier> verifier = verifiers.get(transferId);
        return verifier == null ? null : verifier.get();
    }

    boolean alive() {
        return !dead && connection != null && connection.alive();
    }

    /** What the connection reports: chunks, the control stream's frames, its loss. */
    @Override
    public void accept(DownloadEvent event) {
        if (event instanceof DownloadEvent.ChunkArrived chunk) {
            Consumer<DownloadEvent> sink = routes.sink(chunk.header().transferId());
            if (sink != null) {
                sink.accept(chunk);
            } else {
                chunk.release(); // a transfer that ended here: nobody takes it
            }
            return;
        }
        if (event instanceof DownloadEvent.Failed) {
            dead = true;
            for (Long transferId : verifiers.keySet()) {
                Consumer<DownloadEvent> sink = routes.sink(transferId);
                if (sink != null) {
                    sink.accept(event);
                }
            }
            return;
        }
        if (event instanceof DownloadEvent.ControlFrame control && control.frame() instanceof ErrorFrame) {
            dead = true; // the secondary ends the connection after an ERROR on its control stream
        }
        Consumer<DownloadEvent> sink = controlTransfer < 0 ? null : routes.sink(controlTransfer);
        if (sink != null) {
            sink.accept(event);
        }
    }

    void close() {
        dead = true;
        if (connection != null) {
            connection.close();
        }
    }
}

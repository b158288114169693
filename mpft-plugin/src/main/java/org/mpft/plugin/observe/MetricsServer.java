package org.mpft.plugin.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint ({@code mpft.metrics.bind}): the JDK's own HTTP server on exactly the configured
 * address, answering {@code GET /metrics} (and {@code HEAD}) with the {@link PrometheusExposition}, 404 for
 * any other path and 405 for any other method, on one daemon thread. {@link #close()} stops it.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    /** The one path served. */
    public static final String PATH = "/metrics";

    private final HttpServer server;
    private final ExecutorService thread;

    private MetricsServer(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /**
     * Listens on {@code address} and serves {@code exposition}.
     *
     * @throws IOException when the address cannot be bound (taken, not local)
     */
    public static MetricsServer start(InetSocketAddress address, PrometheusExposition exposition) throws IOException {
        Objects.requireNonNull(exposition, "exposition");
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mpft-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.createContext("/", exchange -> answer(exchange, exposition));
        server.start();
        return new MetricsServer(server, thread);
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void answer(HttpExchange exchange, PrometheusExposition exposition) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
            try {
                exposition.write(body);
            } catch (IOException | RuntimeException e) {
                LOG.warn("mpft metrics: cannot write the exposition: {}", e.toString());
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", PrometheusExposition.CONTENT_TYPE);
            if ("HEAD".equals(method)) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        }
    }

    /** Stops listening at once (a scrape in progress is cut) and ends the thread. */
    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }

    @Override
    public String toString() {
        return "metrics endpoint " + address();
    }
}

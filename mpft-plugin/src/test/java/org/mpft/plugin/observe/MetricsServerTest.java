package org.mpft.plugin.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP on loopback: GET /metrics only, on the configured address only, gone once closed. */
class MetricsServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void servesTheExpositionAtMetricsOnly() throws Exception {
        MpftMetrics metrics = new MpftMetrics();
        metrics.cacheHit();
        InetSocketAddress where = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (MetricsServer server = MetricsServer.start(where, new PrometheusExposition(metrics))) {
            assertThat(server.address().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            String base = "http://127.0.0.1:" + server.address().getPort();

            HttpResponse<String> ok = get(base + "/metrics", "GET");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(ok.body()).contains("mpft_cache_hits_total 1.0\n");

            metrics.cacheHit(); // read afresh at every scrape
            assertThat(get(base + "/metrics", "GET").body()).contains("mpft_cache_hits_total 2.0\n");
            assertThat(get(base + "/metrics?x=1", "GET").statusCode()).isEqualTo(200);

            HttpResponse<String> head = get(base + "/metrics", "HEAD");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();

            assertThat(get(base + "/", "GET").statusCode()).isEqualTo(404);
            assertThat(get(base + "/metrics/x", "GET").statusCode()).isEqualTo(404);
            assertThat(get(base + "/metricsx", "GET").statusCode()).isEqualTo(404);
            HttpResponse<String> post = get(base + "/metrics", "POST");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void closingStopsTheListener() throws Exception {
        int port;
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new PrometheusExposition(new MpftMetrics()))) {
            port = server.address().getPort();
            assertThat(get("http://127.0.0.1:" + port + "/metrics", "GET").statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> get("http://127.0.0.1:" + port + "/metrics", "GET"))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aTakenPortFailsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> MetricsServer.start(taken.getLocalSocketAddress() instanceof InetSocketAddress a
                    ? a : null, new PrometheusExposition(new MpftMetrics())))
                    .isInstanceOf(IOException.class);
        }
    }

    private HttpResponse<String> get(String uri, String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}

package io.duetdb.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminHttpServerTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final MetricRegistry registry = new MetricRegistry();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicReference<Supplier<Optional<String>>> readiness =
        new AtomicReference<>(() -> Optional.of("no leader known"));
    private final AtomicReference<Supplier<String>> page = new AtomicReference<>();
    private AdminHttpServer server;

    @BeforeEach
    void start() throws IOException {
        final PrometheusExposition exposition = new PrometheusExposition(List.of(new DropwizardSource(registry)));
        page.set(exposition::render);
        server = AdminHttpServer.start("127.0.0.1", 0, () -> page.get().get(),
            ReadinessEvaluator.liveness(failure::get), () -> readiness.get().get());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> request(final String method, final String path) throws Exception {
        final HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreServedInTheTextFormat() throws Exception {
        assertTrue(server.port() > 0, "the ephemeral port is exposed");
        registry.counter("duet_repaired_intents_total").inc(3);
        final HttpResponse<String> r = request("GET", "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(3, PromTextParser.parse(r.body()).value("duet_repaired_intents_total"));

        registry.counter("duet_repaired_intents_total").inc();
        assertEquals(4, PromTextParser.parse(request("GET", "/metrics?debug=1").body())
            .value("duet_repaired_intents_total"), "read anew on every scrape; a query string is ignored");
    }

    @Test
    void livezIsOkUntilTheReplicaFails() throws Exception {
        HttpResponse<String> r = request("GET", "/livez");
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
        failure.set("the intent log failed on fdatasync");
        r = request("GET", "/livez");
        assertEquals(503, r.statusCode());
        assertEquals("replica failed: the intent log failed on fdatasync\n", r.body());
    }

    @Test
    void readyzFollowsTheSupplierAndSaysWhy() throws Exception {
        HttpResponse<String> r = request("GET", "/readyz");
        assertEquals(503, r.statusCode());
        assertEquals("no leader known\n", r.body());
        readiness.set(Optional::empty);
        r = request("GET", "/readyz");
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
        readiness.set(() -> {
            throw new IllegalStateException("division closed");
        });
        r = request("GET", "/readyz");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().startsWith("the check failed: java.lang.IllegalStateException: division closed"), r.body());
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        assertEquals(404, request("GET", "/").statusCode());
        assertEquals(404, request("GET", "/metricsx").statusCode());
        assertEquals(404, request("GET", "/metrics/").statusCode());
        for (final String path : List.of("/metrics", "/livez", "/readyz")) {
            final HttpResponse<String> r = request("POST", path);
            assertEquals(405, r.statusCode(), path);
            assertEquals("GET", r.headers().firstValue("Allow").orElse(""), path);
        }
        assertEquals(405, request("DELETE", "/metrics").statusCode());
        assertEquals(200, request("GET", "/livez").statusCode(), "the connection still serves afterwards");
    }

    @Test
    void aFailingPageIs500AndTheServerKeepsServing() throws Exception {
        page.set(() -> {
            throw new IllegalStateException("boom");
        });
        final HttpResponse<String> r = request("GET", "/metrics");
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("boom"), r.body());
        assertEquals(200, request("GET", "/livez").statusCode());
    }

    @Test
    void closeStopsListeningAndIsIdempotent() throws Exception {
        final int port = server.port();
        assertEquals(200, request("GET", "/livez").statusCode());
        server.close();
        server.close();
        final HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        final HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/livez"))
            .timeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> fresh.send(r, HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aTakenPortFailsToBind() {
        final int taken = server.port();
        assertThrows(IOException.class, () -> AdminHttpServer.start("127.0.0.1", taken, () -> "",
            Optional::empty, Optional::empty));
    }
}

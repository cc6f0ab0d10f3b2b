package io.duetdb.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's admin HTTP endpoint (the JDK's built-in server, plain HTTP/1.1):
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus text exposition, format 0.0.4;
 *   <li>{@code GET /livez}: 200 {@code ok} while the process serves; 503 with the reason once the
 *       replica has failed (a restart is what helps);
 *   <li>{@code GET /readyz}: 200 {@code ok} when the node should get traffic, else 503 with why not;
 *   <li>other paths 404; other methods on these paths 405 (with {@code Allow: GET}).
 * </ul>
 *
 * <p>Limits: {@value #THREADS} worker threads answer; up to {@value #MAX_QUEUED_EXCHANGES} more
 * requests wait for them, and a connection beyond that is closed unanswered (the JDK server closes a
 * connection whose exchange the executor rejects), so a flood of scrapes cannot take threads or
 * memory from the node. Request bodies are not read. The endpoint has no TLS and no authentication:
 * bind it to loopback or an internal interface.
 */
public final class AdminHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);
    public static final int THREADS = 2;
    public static final int MAX_QUEUED_EXCHANGES = 16;
    /** Pending TCP connections the kernel keeps before the server accepts them. */
    public static final int BACKLOG = 32;
    private static final long CLOSE_WAIT_MS = 5_000;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Supplier<String> metrics;
    private final Supplier<Optional<String>> whyNotLive;
    private final Supplier<Optional<String>> whyNotReady;
    private final AtomicInteger closed = new AtomicInteger();

    private AdminHttpServer(final InetSocketAddress address, final Supplier<String> metrics,
                            final Supplier<Optional<String>> whyNotLive,
                            final Supplier<Optional<String>> whyNotReady) throws IOException {
        this.metrics = metrics;
        this.whyNotLive = whyNotLive;
        this.whyNotReady = whyNotReady;
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(MAX_QUEUED_EXCHANGES), daemonThreads(), new ThreadPoolExecutor.AbortPolicy());
        try {
            this.server = HttpServer.create(address, BACKLOG);
        } catch (final IOException e) {
            executor.shutdownNow();
            throw e;
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Binds and starts serving.
     *
     * @param host the address to bind (e.g. {@code 127.0.0.1}, {@code 0.0.0.0})
     * @param port the port, 0 for an ephemeral one (see {@link #port()})
     * @param metrics the {@code /metrics} page, e.g. {@code exposition::render}
     * @param whyNotLive why the node is not live, empty while it is ({@link ReadinessEvaluator#liveness})
     * @param whyNotReady why the node is not ready, empty when it is (e.g. a {@link ReadinessEvaluator})
     * @throws IOException when the address cannot be bound
     */
    public static AdminHttpServer start(final String host, final int port, final Supplier<String> metrics,
                                        final Supplier<Optional<String>> whyNotLive,
                                        final Supplier<Optional<String>> whyNotReady) throws IOException {
        final AdminHttpServer s = new AdminHttpServer(new InetSocketAddress(host, port), metrics, whyNotLive,
            whyNotReady);
        LOG.info("admin HTTP endpoint on {} (/metrics, /livez, /readyz)", s.address());
        return s;
    }

    /** The bound address (the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(final HttpExchange exchange) {
        // Closing the exchange also discards what is left of a request body (up to the JDK's
        // drain limit; beyond it the connection is closed): bodies are never read.
        try (exchange) {
            try {
                route(exchange);
            } catch (final RuntimeException e) {
                LOG.warn("admin request {} failed: {}", exchange.getRequestURI(), e.toString());
                if (exchange.getResponseCode() == -1) {
                    send(exchange, 500, TEXT, "internal error: " + e + "\n");
                }
                // else the headers are out already: the client sees a cut response.
            }
        } catch (final IOException e) {
            LOG.debug("admin request {}: {}", exchange.getRequestURI(), e.toString());
        }
    }

    private void route(final HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        if (!path.equals("/metrics") && !path.equals("/livez") && !path.equals("/readyz")) {
            send(exchange, 404, TEXT, "not found: " + path + " (try /metrics, /livez, /readyz)\n");
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, 405, TEXT, "method " + exchange.getRequestMethod() + " not allowed: use GET\n");
            return;
        }
        switch (path) {
            case "/metrics" -> send(exchange, 200, PrometheusText.CONTENT_TYPE, metrics.get());
            case "/livez" -> sendCheck(exchange, whyNotLive);
            default -> sendCheck(exchange, whyNotReady);
        }
    }

    /** 200 "ok", or 503 with the reason; a check that throws is a failed check. */
    private static void sendCheck(final HttpExchange exchange, final Supplier<Optional<String>> check)
        throws IOException {
        Optional<String> why;
        try {
            why = check.get();
        } catch (final RuntimeException e) {
            why = Optional.of("the check failed: " + e);
        }
        if (why.isPresent()) {
            send(exchange, 503, TEXT, why.get() + "\n");
        } else {
            send(exchange, 200, TEXT, "ok\n");
        }
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType,
                             final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ThreadFactory daemonThreads() {
        final AtomicInteger n = new AtomicInteger();
        return r -> {
            final Thread t = new Thread(r, "duet-admin-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops accepting, ends open exchanges, and waits up to 5 s for the worker threads. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndIncrement() != 0) {
            return;
        }
        // stop(0): do not wait for exchanges (in JDK 17, stop(n) waits the whole n seconds even when idle).
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (final InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

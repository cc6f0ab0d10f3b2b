package io.duetdb.client;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A client of a Duet cluster: one gRPC channel per endpoint, writes sent to the leader, safe
 * retries within a deadline. Thread-safe; make one per application and share it. Close it when
 * done.
 *
 * <pre>{@code
 * try (DuetClient client = DuetClient.builder()
 *         .endpoints("10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379")
 *         .requestTimeout(Duration.ofSeconds(5))
 *         .build()) {
 *     client.kv().put("greeting", "hello");
 *     String value = client.kv().get("greeting").map(kv -> kv.value().toStringUtf8()).orElse("?");
 * }
 * }</pre>
 */
public final class DuetClient implements AutoCloseable {
    private final List<String> endpoints;
    private final EndpointPool pool;
    private final ScheduledThreadPoolExecutor scheduler;
    private final LeaderTracker tracker;
    private final CallRunner runner;
    private final KvClient kv;
    private final ClusterClient cluster;

    private DuetClient(final Builder b, final SslContext tls) {
        final ClientConfig config = b.config();
        this.endpoints = List.copyOf(b.endpoints);
        final ChannelFactory channels = new ChannelFactory(tls, config.maxInboundMessageBytes());
        this.pool = new EndpointPool(endpoints, channels::open);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            final Thread t = new Thread(r, "duet-client-retries");
            t.setDaemon(true); // an unclosed client must not keep the JVM alive
            return t;
        });
        this.tracker = new LeaderTracker(pool, config.leaderRefreshTimeoutMs());
        this.runner = new CallRunner(pool, tracker, new WriteSequencer(WriteSequencer.DEFAULT_WINDOW), scheduler,
            config);
        this.kv = new KvClient(runner, config.requestTimeoutMs());
        this.cluster = new ClusterClient(runner, pool, tracker, config.requestTimeoutMs());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Keys: get, range, put, delete, transactions. */
    public KvClient kv() {
        return kv;
    }

    /** Members, leadership, node status. */
    public ClusterClient cluster() {
        return cluster;
    }

    /** The configured endpoints. */
    public List<String> endpoints() {
        return endpoints;
    }

    /**
     * The gRPC channel of one configured endpoint (TLS as configured), for calls this client has no
     * method for, through the generated stubs: e.g. {@code Maintenance.SnapshotDownload}. The
     * channel belongs to the client: do not shut it down. No retries or deadlines are added.
     *
     * @throws IllegalArgumentException if {@code endpoint} is not one of {@link #endpoints()}
     */
    public io.grpc.Channel channel(final String endpoint) {
        final Endpoint ep = pool.byAddress(endpoint);
        if (ep == null) {
            throw new IllegalArgumentException("'" + endpoint + "' is not one of this client's endpoints " + endpoints);
        }
        return ep.channel();
    }

    /** The endpoint calls prefer as the leader's, if one is known now. */
    public Optional<String> leaderEndpoint() {
        final Endpoint ep = tracker.knownLeader();
        return Optional.ofNullable(ep == null ? null : ep.address());
    }

    /**
     * Closes the channels. Calls in flight get up to 5 s to finish; calls waiting to retry fail
     * with {@code CANCELLED}; new calls fail.
     */
    @Override
    public void close() {
        runner.close();
        // Retries due later run now and fail (the runner is closed) instead of never completing.
        for (final Runnable pending : scheduler.shutdownNow()) {
            pending.run();
        }
        pool.close();
    }

    /** Settings of a {@link DuetClient}. Every duration must be positive. */
    public static final class Builder {
        private final List<String> endpoints = new ArrayList<>();
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration attemptTimeout = Duration.ofSeconds(5);
        private int maxAttempts = 10;
        private Duration backoffInitial = Duration.ofMillis(50);
        private Duration backoffMax = Duration.ofSeconds(1);
        private int maxInboundMessageBytes = 16 * 1024 * 1024;
        private int maxRequestBytes = 8 * 1024 * 1024;
        private boolean tls;
        private Path caFile;
        private Path certFile;
        private Path keyFile;

        private Builder() {
        }

        /** The nodes' client addresses, {@code host:port} each (add them all: any may be down). */
        public Builder endpoints(final String... addresses) {
            return endpoints(List.of(addresses));
        }

        public Builder endpoints(final List<String> addresses) {
            for (final String a : addresses) {
                endpoints.add(ChannelFactory.checkAddress(a));
            }
            return this;
        }

        /**
         * The time each call has, all attempts and pauses between them included (default 10 s).
         * {@link KvClient#withTimeout} and {@link ClusterClient#withTimeout} change it per call.
         */
        public Builder requestTimeout(final Duration timeout) {
            positiveMs(timeout, "requestTimeout");
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * The most time one attempt of a retried call gets (default 5 s), so that a node that does
         * not answer leaves time to try another. Calls sent once get the whole request timeout.
         */
        public Builder attemptTimeout(final Duration timeout) {
            positiveMs(timeout, "attemptTimeout");
            this.attemptTimeout = timeout;
            return this;
        }

        /** Attempts per call at most, the first included (default 10). 1 turns retries off. */
        public Builder maxAttempts(final int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1 (got " + attempts + ")");
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * The pause before a retry: {@code initial}, doubling per retry up to {@code max}, of which a
         * random half is taken off (defaults 50 ms and 1 s).
         */
        public Builder retryBackoff(final Duration initial, final Duration max) {
            positiveMs(initial, "initial backoff");
            positiveMs(max, "maximum backoff");
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /**
         * The largest reply accepted (default 16 MiB). A read whose reply is larger fails with
         * {@code RESOURCE_EXHAUSTED}: read large ranges in pages with a limit.
         */
        public Builder maxInboundMessageBytes(final int bytes) {
            this.maxInboundMessageBytes = bytes;
            return this;
        }

        /**
         * The largest request sent (default 8 MiB, what the server's transport accepts); a larger
         * one is refused with {@code INVALID_ARGUMENT} without being sent. The server's own limit
         * (max-request-bytes, 2 MiB by default) is lower and checked there.
         */
        public Builder maxRequestBytes(final int bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        /** Speaks TLS, trusting the JDK's default CAs unless {@link #trustedCaFile} is set. */
        public Builder useTls() {
            this.tls = true;
            return this;
        }

        /** Speaks TLS, trusting the CA certificates in this PEM file (the nodes' tls-ca-file). */
        public Builder trustedCaFile(final Path pemFile) {
            this.tls = true;
            this.caFile = pemFile;
            return this;
        }

        /**
         * Speaks TLS and presents this client certificate (for nodes with tls-client-auth require).
         *
         * @param certChainPemFile the certificate chain, PEM
         * @param pkcs8KeyPemFile  its private key, PEM PKCS#8 ({@code -----BEGIN PRIVATE KEY-----})
         */
        public Builder clientCertificate(final Path certChainPemFile, final Path pkcs8KeyPemFile) {
            if (certChainPemFile == null || pkcs8KeyPemFile == null) {
                throw new IllegalArgumentException("a client certificate needs both the certificate and the key file");
            }
            this.tls = true;
            this.certFile = certChainPemFile;
            this.keyFile = pkcs8KeyPemFile;
            return this;
        }

        /** Opens the channels (connections are made on first use) and returns the client. */
        public DuetClient build() {
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("no endpoints: give at least one host:port");
            }
            if (new LinkedHashSet<>(endpoints).size() != endpoints.size()) {
                throw new IllegalArgumentException("an endpoint is listed twice: " + endpoints);
            }
            config(); // checks the settings before anything is opened
            return new DuetClient(this, tls ? ChannelFactory.tlsContext(caFile, certFile, keyFile) : null);
        }

        ClientConfig config() {
            final long requestMs = requestTimeout.toMillis();
            final long attemptMs = Math.min(attemptTimeout.toMillis(), requestMs);
            // Finding the leader must not eat an attempt's time: a few seconds at most.
            final long refreshMs = Math.min(attemptMs, 3_000);
            return new ClientConfig(requestMs, attemptMs, maxAttempts, backoffInitial.toMillis(),
                backoffMax.toMillis(), maxRequestBytes, maxInboundMessageBytes, refreshMs);
        }

        static long positiveMs(final Duration d, final String name) {
            if (d == null || d.isNegative() || d.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms (got " + d + ")");
            }
            return d.toMillis();
        }
    }
}

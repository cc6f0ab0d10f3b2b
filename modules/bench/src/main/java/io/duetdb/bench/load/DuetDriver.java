package io.duetdb.bench.load;

import io.duetdb.client.Bytes;
import io.duetdb.client.Compare;
import io.duetdb.client.DuetClient;
import io.duetdb.client.KeyValue;
import io.duetdb.client.Op;
import io.duetdb.client.RangeQuery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Duet (and the no-op service, which speaks Duet's API) through the project's Java client: one
 * {@link DuetClient} per connection, so each connection has its own gRPC channel to the leader,
 * with the client's write ids, leader routing and deadlines, as an application would use it.
 */
final class DuetDriver implements KvDriver {
    private final List<String> endpoints;
    private final Duration requestTimeout;
    private final List<DuetClient> clients = new CopyOnWriteArrayList<>();

    DuetDriver(final List<String> endpoints, final long requestTimeoutMs) {
        this.endpoints = List.copyOf(endpoints);
        this.requestTimeout = Duration.ofMillis(requestTimeoutMs);
    }

    @Override
    public Connection connect(final int index) {
        final DuetClient client = DuetClient.builder().endpoints(endpoints).requestTimeout(requestTimeout)
            .attemptTimeout(requestTimeout).build();
        clients.add(client);
        return new DuetConnection(client);
    }

    @Override
    public void close() {
        for (final DuetClient c : clients) {
            c.close();
        }
    }

    private record DuetConnection(DuetClient client) implements Connection {
        @Override
        public CompletableFuture<?> put(final byte[] key, final byte[] value) {
            return client.kv().putAsync(Op.put(Bytes.of(key), Bytes.of(value)));
        }

        @Override
        public CompletableFuture<?> range(final byte[] key, final boolean serializable) {
            final RangeQuery q = RangeQuery.key(Bytes.of(key));
            return client.kv().rangeAsync(serializable ? q.serializable() : q);
        }

        @Override
        public CompletableFuture<CasOutcome> compareAndSwap(final byte[] key, final byte[] expected,
                                                            final byte[] next) {
            final Bytes k = Bytes.of(key);
            final Compare holds = expected == null ? Compare.version(k).equalTo(0)
                : Compare.value(k).is(Compare.Operator.EQUAL, Bytes.of(expected));
            return client.kv().txn().when(holds).then(Op.put(k, Bytes.of(next))).otherwise(Op.get(k)).commitAsync()
                .thenApply(r -> {
                    if (r.succeeded()) {
                        return CasOutcome.SWAPPED;
                    }
                    // A duplicate reply (a retried attempt) carries no results: the value is unknown.
                    final byte[] current = r.results().isEmpty() ? null
                        : r.rangeResult(0).first().map(KeyValue::value).map(Bytes::toByteArray).orElse(null);
                    return new CasOutcome(false, current);
                });
        }
    }
}

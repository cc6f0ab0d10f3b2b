package io.duetdb.bench.load;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * etcd through jetcd, etcd's Java client: one jetcd {@link Client} (one gRPC channel) per
 * connection. All connections share one Vert.x instance, so 16 connections do not start 16 sets
 * of event-loop threads on a 2-core machine. Give the leader's endpoint only to target the leader
 * (etcd's {@code --target-leader}); jetcd spreads requests over every endpoint it is given.
 */
final class EtcdDriver implements KvDriver {
    private static final GetOption LINEARIZABLE = GetOption.builder().withSerializable(false).build();
    private static final GetOption SERIALIZABLE = GetOption.builder().withSerializable(true).build();

    private final String[] endpoints;
    private final long requestTimeoutMs;
    private final Vertx vertx = Vertx.vertx();
    private final List<Client> clients = new CopyOnWriteArrayList<>();

    EtcdDriver(final List<String> endpoints, final long requestTimeoutMs) {
        this.endpoints = endpoints.stream().map(e -> e.contains("://") ? e : "http://" + e).toArray(String[]::new);
        this.requestTimeoutMs = requestTimeoutMs;
    }

    @Override
    public Connection connect(final int index) {
        final Client client = Client.builder().endpoints(endpoints).vertx(vertx).build();
        clients.add(client);
        return new EtcdConnection(client.getKVClient(), requestTimeoutMs);
    }

    @Override
    public void close() throws Exception {
        for (final Client c : clients) {
            c.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private record EtcdConnection(KV kv, long timeoutMs) implements Connection {
        @Override
        public CompletableFuture<?> put(final byte[] key, final byte[] value) {
            return deadline(kv.put(ByteSequence.from(key), ByteSequence.from(value)));
        }

        @Override
        public CompletableFuture<?> range(final byte[] key, final boolean serializable) {
            return deadline(kv.get(ByteSequence.from(key), serializable ? SERIALIZABLE : LINEARIZABLE));
        }

        @Override
        public CompletableFuture<CasOutcome> compareAndSwap(final byte[] key, final byte[] expected,
                                                            final byte[] next) {
            final ByteSequence k = ByteSequence.from(key);
            final Cmp holds = expected == null ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0))
                : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(expected)));
            return deadline(kv.txn().If(holds).Then(Op.put(k, ByteSequence.from(next), PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT)).commit()).thenApply(r -> {
                    if (r.isSucceeded()) {
                        return CasOutcome.SWAPPED;
                    }
                    final List<GetResponse> reads = r.getGetResponses();
                    final byte[] current = reads.isEmpty() || reads.get(0).getKvs().isEmpty() ? null
                        : reads.get(0).getKvs().get(0).getValue().getBytes();
                    return new CasOutcome(false, current);
                });
        }

        /** jetcd has no per-call deadline option; bound each request like the Duet client's. */
        private <T> CompletableFuture<T> deadline(final CompletableFuture<T> call) {
            return call.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }
}

package io.duetdb.server.testing;

import com.google.protobuf.ByteString;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.WriteId;
import io.duetdb.server.api.KvService;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Background load for crash tests: threads put keys {@code <prefix>-<thread>-<n>} through whichever
 * nodes are running and remember every acknowledged write. Bounded: each thread stops after
 * {@code maxPerThread} writes or when stopped.
 */
public final class AckedWriter implements AutoCloseable {
    private final ClusterFixture cluster;
    private final Supplier<List<String>> targets;
    private final String prefix;
    private final int maxPerThread;
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread[] threads;

    public AckedWriter(final ClusterFixture cluster, final Supplier<List<String>> targets, final String prefix,
                       final int threadCount, final int maxPerThread) {
        this.cluster = cluster;
        this.targets = targets;
        this.prefix = prefix;
        this.maxPerThread = maxPerThread;
        this.threads = new Thread[threadCount];
        for (int t = 0; t < threadCount; t++) {
            final int thread = t;
            threads[t] = new Thread(() -> run(thread), "acked-writer-" + t);
            threads[t].setDaemon(true);
        }
    }

    public AckedWriter start() {
        for (final Thread t : threads) {
            t.start();
        }
        return this;
    }

    private void run(final int thread) {
        final long clientLow = ThreadLocalRandom.current().nextLong() | 1;
        for (int n = 0; n < maxPerThread && !stop.get(); n++) {
            final String key = prefix + "-" + thread + "-" + n;
            final String value = "v" + n;
            final PutRequest put = PutRequest.newBuilder()
                .setKey(ByteString.copyFrom(key, StandardCharsets.UTF_8))
                .setValue(ByteString.copyFrom(value, StandardCharsets.UTF_8))
                .setWriteId(WriteId.newBuilder().setClientId(KvService.clientId(thread + 1, clientLow))
                    .setSequence(n + 1))
                .build();
            final List<String> nodes = targets.get();
            if (nodes.isEmpty()) {
                return;
            }
            final String node = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
            try {
                cluster.kv(node).withDeadlineAfter(15, TimeUnit.SECONDS).put(put);
                acked.put(key, value);
            } catch (final StatusRuntimeException e) {
                // not acknowledged: the write may or may not have happened; nothing is promised
            }
        }
    }

    /** The acknowledged writes so far (key to value). */
    public Map<String, String> acked() {
        return Map.copyOf(acked);
    }

    public int ackedCount() {
        return acked.size();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (final Thread t : threads) {
            t.join(60_000);
        }
    }
}

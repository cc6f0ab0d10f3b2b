package io.duetdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.server.testing.ClusterFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader is SIGKILLed while writers and a reader run through one client: the client finds the
 * new leader by itself, every acknowledged write is there afterwards, and every key written once
 * has version 1 (writes retried across the crash were applied once).
 */
@DisabledIfSystemProperty(named = "duet.skipSlowTests", matches = "true")
class FailoverTest {
    private static final int WRITERS = 3;
    private static final int MAX_WRITES_PER_WRITER = 20_000;

    @TempDir
    Path root;

    @Test
    @SuppressWarnings("try") // ClusterFixture.close() may throw InterruptedException: fine in a test
    void leaderCrashUnderLoadLosesNothingAndAppliesRetriesOnce() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3);
             DuetClient client = DuetClient.builder().endpoints(cluster.clientEndpoints())
                 // Generous: an election and a loaded 2-core machine must fit in one call's time.
                 .requestTimeout(Duration.ofSeconds(90)).attemptTimeout(Duration.ofSeconds(10)).maxAttempts(200)
                 .build()) {
            cluster.startAll();
            cluster.awaitLeader(cluster.ids());
            final Load load = new Load(client).start();
            cluster.await("writes acknowledged before the crash", () -> load.acked.size() >= 150);

            final String oldLeader = cluster.awaitLeader(cluster.ids());
            cluster.kill(oldLeader);
            final int ackedAtCrash = load.acked.size();
            final List<String> survivors = cluster.ids().stream().filter(id -> !id.equals(oldLeader)).toList();
            final String newLeader = cluster.awaitLeader(survivors);
            assertNotEquals(oldLeader, newLeader);
            cluster.await("writes acknowledged after the crash", () -> load.acked.size() >= ackedAtCrash + 300);
            cluster.await("writes served by the leader again", () -> {
                final String servedBy = client.kv().put("after-crash", "x").header().memberId();
                final io.duetdb.api.v1.StatusResponse s = cluster.statusOrNull(servedBy);
                return s != null && servedBy.equals(s.getLeaderId());
            });
            load.stop();

            assertTrue(load.failures.isEmpty(), "calls failed although the cluster recovered: " + load.failures);
            assertEquals(0, load.wrongReads.get(), "reads returned a value other than the acknowledged one");
            final Map<String, KeyValue> stored = readAll(client, "f/");
            for (final Map.Entry<String, String> e : load.acked.entrySet()) {
                final KeyValue kv = stored.get(e.getKey());
                assertTrue(kv != null, "acknowledged write " + e.getKey() + " is missing\n" + cluster.logTails());
                assertEquals(e.getValue(), kv.value().toStringUtf8(), e.getKey());
            }
            for (final KeyValue kv : stored.values()) {
                assertEquals(1, kv.version(), kv.key() + " was written once but applied " + kv.version() + " times");
            }
            System.out.printf("failover: %d writes acknowledged (%d before the crash), %d answered as duplicates, "
                + "%d reads%n", load.acked.size(), ackedAtCrash, load.duplicates.get(), load.reads.get());
        }
    }

    /** Every key with the prefix, read in pages of 500. */
    private static Map<String, KeyValue> readAll(final DuetClient client, final String prefix) {
        final Map<String, KeyValue> all = new HashMap<>();
        RangeQuery query = RangeQuery.prefix(prefix).limit(500);
        while (true) {
            final RangeResult page = client.kv().range(query);
            page.kvs().forEach(kv -> all.put(kv.key().toStringUtf8(), kv));
            if (!page.more()) {
                return all;
            }
            query = query.after(page);
        }
    }

    /** Writers putting distinct keys once each, and a reader checking acknowledged ones. */
    private static final class Load {
        final Map<String, String> acked = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger wrongReads = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final DuetClient client;

        Load(final DuetClient client) {
            this.client = client;
        }

        Load start() {
            for (int w = 0; w < WRITERS; w++) {
                final int writer = w;
                threads.add(new Thread(() -> write(writer), "writer-" + w));
            }
            threads.add(new Thread(this::read, "reader"));
            threads.forEach(Thread::start);
            return this;
        }

        private void write(final int writer) {
            for (int n = 0; n < MAX_WRITES_PER_WRITER && !stop.get(); n++) {
                final String key = "f/" + writer + "/" + n;
                try {
                    final PutResult r = client.kv().put(key, "v" + n);
                    if (r.duplicate()) {
                        duplicates.incrementAndGet();
                    }
                    acked.put(key, "v" + n);
                } catch (final DuetException e) {
                    failures.add(key + ": " + e.getMessage());
                }
            }
        }

        private void read() {
            while (!stop.get()) {
                final List<String> keys = new ArrayList<>(acked.keySet());
                // Before the first acknowledgement: a key never written, which must read as absent.
                final String key = keys.isEmpty() ? "f-never-written"
                    : keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                try {
                    final String value = client.kv().get(key).map(kv -> kv.value().toStringUtf8()).orElse(null);
                    reads.incrementAndGet();
                    if (!java.util.Objects.equals(acked.get(key), value)) {
                        wrongReads.incrementAndGet();
                    }
                } catch (final DuetException e) {
                    failures.add("read " + key + ": " + e.getMessage());
                }
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (final Thread t : threads) {
                t.join(120_000);
            }
        }
    }
}

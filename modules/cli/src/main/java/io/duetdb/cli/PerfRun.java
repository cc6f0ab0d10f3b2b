package io.duetdb.cli;

import io.duetdb.client.Bytes;
import io.duetdb.client.DuetException;
import io.duetdb.client.KvClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A paced write load: {@code clients} threads each put at {@code writesPerSecond / clients}, on a
 * schedule (a slow write does not shift later ones), until the duration is over.
 */
final class PerfRun {
    private static final int VALUE_BYTES = 256;
    /** Keys cycle over this many, so a long run does not grow the table without bound. */
    private static final int KEY_SPACE = 10_000;

    record Result(long writes, long errors, double writesPerSecond, double p50Ms, double p99Ms, double maxMs) {
    }

    private final KvClient kv;
    private final String prefix;
    private final int writesPerSecond;
    private final int clients;
    private final long durationMs;

    PerfRun(final KvClient kv, final String prefix, final int writesPerSecond, final int clients, final long durationMs) {
        this.kv = kv;
        this.prefix = prefix;
        this.writesPerSecond = writesPerSecond;
        this.clients = clients;
        this.durationMs = durationMs;
    }

    Result run() throws InterruptedException {
        final Bytes value = Bytes.of(new byte[VALUE_BYTES]);
        final long intervalNs = 1_000_000_000L * clients / writesPerSecond;
        final AtomicLong errors = new AtomicLong();
        final AtomicLong sequence = new AtomicLong();
        final List<long[]> latencies = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final long startNs = System.nanoTime();
        final long endNs = startNs + durationMs * 1_000_000L;
        final int perClientCapacity = (int) (durationMs / 1000 + 1) * writesPerSecond / clients + 16;
        for (int c = 0; c < clients; c++) {
            final long[] mine = new long[perClientCapacity + 1]; // [0] = count
            latencies.add(mine);
            final long firstNs = startNs + intervalNs * c / clients;
            final Thread t = new Thread(() -> {
                for (long next = firstNs; next < endNs && mine[0] < perClientCapacity; next += intervalNs) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    final long n = sequence.getAndIncrement();
                    final long t0 = System.nanoTime();
                    try {
                        kv.put(Bytes.of(prefix + (n % KEY_SPACE)), value);
                        mine[(int) ++mine[0]] = System.nanoTime() - t0;
                    } catch (final DuetException e) {
                        errors.incrementAndGet();
                    }
                }
            }, "check-perf-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (final Thread t : threads) {
            t.join();
        }
        final double elapsedS = (System.nanoTime() - startNs) / 1e9;
        final long[] all = latencies.stream().flatMapToLong(a -> Arrays.stream(a, 1, (int) a[0] + 1)).sorted().toArray();
        return new Result(all.length, errors.get(), all.length / elapsedS, percentileMs(all, 0.50),
            percentileMs(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static double percentileMs(final long[] sortedNs, final double q) {
        if (sortedNs.length == 0) {
            return 0;
        }
        return sortedNs[Math.min(sortedNs.length - 1, (int) Math.ceil(q * sortedNs.length) - 1)] / 1e6;
    }
}

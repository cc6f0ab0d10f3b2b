package io.duetdb.bench;

import io.duetdb.storage.DuetStore;
import io.duetdb.storage.StoreOptions;
import io.duetdb.storage.io.IoMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * Durable puts per second and latency at 1, 16, 64 and 256 concurrent writers (16-byte keys,
 * 256-byte values) for the engine on io_uring, the engine on FileChannel, and the naive baseline.
 * Systems alternate within each round (the order rotates) so a noisy disk hurts them alike; the
 * load average is recorded with every trial. Prints a Markdown table and the ratios.
 *
 * <pre>java -cp 'modules/bench/target/*:modules/bench/target/lib/*' io.duetdb.bench.EngineBenchmark
 *     [--seconds 5] [--rounds 2] [--writers 1,16,64,256] [--systems io_uring,filechannel,naive] [--dir /tmp]</pre>
 */
public final class EngineBenchmark {
    private static final int KEY_BYTES = 16;
    private static final int VALUE_BYTES = 256;
    private static final String[] ALL_SYSTEMS = {"io_uring", "filechannel", "naive"};
    private static String[] SYSTEMS = ALL_SYSTEMS;
    private static final int WARMUP_SECONDS = 1;

    /** One measured trial. */
    record Trial(String system, int writers, int round, long ops, double seconds, Histogram latencyUs,
                 String loadBefore, String loadAfter) {
        double opsPerSecond() {
            return ops / seconds;
        }
    }

    private interface Writer {
        void put(byte[] key, byte[] value) throws IOException;
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, String> opts = parse(args);
        final int seconds = Integer.parseInt(opts.getOrDefault("seconds", "5"));
        final int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
        SYSTEMS = opts.getOrDefault("systems", String.join(",", ALL_SYSTEMS)).split(",");
        final Path base = Path.of(opts.getOrDefault("dir", System.getProperty("java.io.tmpdir")));
        final List<Integer> writerCounts = new ArrayList<>();
        for (final String w : opts.getOrDefault("writers", "1,16,64,256").split(",")) {
            writerCounts.add(Integer.parseInt(w.trim()));
        }
        System.out.printf("engine benchmark: %d s per trial, %d rounds, writers %s, %d-byte keys, %d-byte values, "
            + "dir %s, %d cores%n", seconds, rounds, writerCounts, KEY_BYTES, VALUE_BYTES, base,
            Runtime.getRuntime().availableProcessors());
        final List<Trial> trials = new ArrayList<>();
        for (final int writers : writerCounts) {
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < SYSTEMS.length; s++) {
                    final String system = SYSTEMS[(s + round) % SYSTEMS.length];
                    final Trial t = runTrial(system, writers, round, seconds, base);
                    trials.add(t);
                    System.out.printf(Locale.ROOT, "  %-11s writers=%-3d round=%d  %9.0f ops/s  p50=%6.2f ms  "
                        + "p99=%7.2f ms  load %s -> %s%n", system, writers, round, t.opsPerSecond(),
                        t.latencyUs.getValueAtPercentile(50) / 1000.0, t.latencyUs.getValueAtPercentile(99) / 1000.0,
                        t.loadBefore, t.loadAfter);
                }
            }
        }
        System.out.println();
        System.out.print(report(trials, writerCounts));
    }

    private static Trial runTrial(final String system, final int writers, final int round, final int seconds,
                                  final Path base) throws Exception {
        final Path dir = Files.createTempDirectory(base, "duet-bench-" + system + "-");
        final String loadBefore = loadAverage();
        try {
            if (system.equals("naive")) {
                try (NaiveLog log = new NaiveLog(dir.resolve("naive.log"))) {
                    measure(system, writers, round, WARMUP_SECONDS, log::append, loadBefore);
                    return measure(system, writers, round, seconds, log::append, loadAverage());
                }
            }
            final IoMode mode = IoMode.parse(system);
            // No automatic checkpoint during a 5 s trial: it would pause applies while the table is
            // written (a known limitation, see docs/benchmarks.md) and measure that instead.
            try (DuetStore store = DuetStore.open(dir,
                StoreOptions.defaults().withIoMode(mode).withCheckpointEveryOps(0))) {
                // The warmup also lets the first spare segment finish its zero fill.
                measure(system, writers, round, WARMUP_SECONDS, store::put, loadBefore);
                return measure(system, writers, round, seconds, store::put, loadAverage());
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static Trial measure(final String system, final int writers, final int round, final int seconds,
                                 final Writer writer, final String loadBefore) throws InterruptedException {
        final Recorder recorder = new Recorder(3);
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch done = new CountDownLatch(writers);
        final long[] opsByWriter = new long[writers];
        final long startNs = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            final int id = w;
            final Thread t = new Thread(() -> {
                final byte[] value = new byte[VALUE_BYTES];
                long n = 0;
                try {
                    while (!stop.get()) {
                        final byte[] key = String.format("k%07d-%07d", id, n % 1_000_000).getBytes();
                        final long t0 = System.nanoTime();
                        writer.put(key, value);
                        recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                        n++;
                    }
                } catch (final IOException e) {
                    System.err.println(system + " writer " + id + " failed: " + e);
                } finally {
                    opsByWriter[id] = n;
                    done.countDown();
                }
            }, "bench-writer-" + w);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(seconds * 1000L); // the measured interval itself, not a synchronisation
        stop.set(true);
        done.await();
        final double elapsed = (System.nanoTime() - startNs) / 1e9;
        long ops = 0;
        for (final long n : opsByWriter) {
            ops += n;
        }
        return new Trial(system, writers, round, ops, elapsed, recorder.getIntervalHistogram(), loadBefore,
            loadAverage());
    }

    static String report(final List<Trial> trials, final List<Integer> writerCounts) {
        final StringBuilder out = new StringBuilder();
        out.append("| writers | system | ops/s (median of rounds) | p50 ms | p99 ms | load avg (1 min) during |\n");
        out.append("| ---: | --- | ---: | ---: | ---: | --- |\n");
        final Map<String, Double> median = new LinkedHashMap<>();
        for (final int writers : writerCounts) {
            for (final String system : SYSTEMS) {
                final List<Trial> mine = trials.stream().filter(t -> t.writers == writers && t.system.equals(system))
                    .sorted(Comparator.comparingDouble(Trial::opsPerSecond)).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                final Trial mid = mine.get(mine.size() / 2);
                final double opsPerSecond = mine.size() % 2 == 1 ? mid.opsPerSecond()
                    : (mine.get(mine.size() / 2 - 1).opsPerSecond() + mid.opsPerSecond()) / 2;
                median.put(system + "@" + writers, opsPerSecond);
                final StringBuilder loads = new StringBuilder();
                for (final Trial t : mine) {
                    loads.append(loads.length() == 0 ? "" : ", ").append(t.loadBefore.split(" ")[0]).append("→")
                        .append(t.loadAfter.split(" ")[0]);
                }
                out.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %s |%n", writers, system,
                    opsPerSecond, mid.latencyUs.getValueAtPercentile(50) / 1000.0,
                    mid.latencyUs.getValueAtPercentile(99) / 1000.0, loads));
            }
        }
        out.append("\nRatios (medians, same run):\n");
        for (final int writers : writerCounts) {
            final Double uring = median.get("io_uring@" + writers);
            final Double channel = median.get("filechannel@" + writers);
            final Double naive = median.get("naive@" + writers);
            if (uring != null && channel != null && naive != null) {
                out.append(String.format(Locale.ROOT, "- %d writers: io_uring / naive = %.1fx, filechannel / naive = "
                    + "%.1fx, io_uring / filechannel = %.2f%n", writers, uring / naive, channel / naive, uring / channel));
            }
        }
        return out.toString();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (final IOException e) {
            return "n/a";
        }
    }

    static Map<String, String> parse(final String[] args) {
        final Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: EngineBenchmark [--seconds N] [--rounds N] "
                    + "[--writers 1,16,64,256] [--systems io_uring,filechannel,naive] [--dir DIR]; bad argument '"
                    + args[i] + "'");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    static void deleteTree(final Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private EngineBenchmark() {
    }
}

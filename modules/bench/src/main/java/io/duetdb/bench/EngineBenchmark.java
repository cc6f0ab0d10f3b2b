package io.duetdb.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import io.duetdb.bench.load.HostProbe;
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
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Durable puts per second and latency at 1, 16, 64 and 256 concurrent writers (16-byte keys,
 * 256-byte values) for the engine on io_uring, the engine on FileChannel, RocksDB with
 * {@code sync=true}, and the naive one-fdatasync-per-write baseline. Systems alternate within each
 * round (the order rotates) so a noisy disk hurts them alike; the load average and CPU use are
 * recorded with every trial. Prints a Markdown table and the ratios; {@code --json} also writes
 * every trial.
 *
 * <pre>java -cp 'modules/bench/target/*:modules/bench/target/lib/*' io.duetdb.bench.EngineBenchmark
 *     [--seconds 5] [--rounds 2] [--writers 1,16,64,256] [--systems io_uring,filechannel,rocksdb,naive]
 *     [--dir /tmp] [--json FILE]</pre>
 */
public final class EngineBenchmark {
    static final int KEY_BYTES = 16;
    static final int VALUE_BYTES = 256;
    static final List<String> ALL_SYSTEMS = List.of("io_uring", "filechannel", "rocksdb", "naive");
    private static final int WARMUP_SECONDS = 1;
    /** Each writer cycles over this many keys, so the table stops growing in a long trial. */
    private static final long KEYS_PER_WRITER = 1_000_000;

    /** One measured trial, as written to the JSON file. */
    public record Trial(String system, int writers, int round, long ops, double seconds, double opsPerSecond,
                        double meanMs, double p50Ms, double p99Ms, double maxMs, String loadBefore,
                        String loadAfter, double cpuBusyPercent, double cpuIowaitPercent) {
    }

    private interface Writer {
        void put(byte[] key, byte[] value) throws IOException;
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, String> opts = parse(args);
        final int seconds = Integer.parseInt(opts.getOrDefault("seconds", "5"));
        final int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
        final List<String> systems = List.of(opts.getOrDefault("systems", String.join(",", ALL_SYSTEMS)).split(","));
        for (final String s : systems) {
            if (!ALL_SYSTEMS.contains(s)) {
                throw new IllegalArgumentException("unknown system '" + s + "'; known: " + ALL_SYSTEMS);
            }
        }
        final Path base = Path.of(opts.getOrDefault("dir", System.getProperty("java.io.tmpdir")));
        final List<Integer> writerCounts = new ArrayList<>();
        for (final String w : opts.getOrDefault("writers", "1,16,64,256").split(",")) {
            writerCounts.add(Integer.parseInt(w.trim()));
        }
        System.out.printf("engine benchmark: %d s per trial, %d rounds, writers %s, systems %s, %d-byte keys, "
            + "%d-byte values, dir %s, %d cores, RocksDB %s%n", seconds, rounds, writerCounts, systems, KEY_BYTES,
            VALUE_BYTES, base, Runtime.getRuntime().availableProcessors(), RocksLog.version());
        final List<Trial> trials = new ArrayList<>();
        for (final int writers : writerCounts) {
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < systems.size(); s++) {
                    final String system = systems.get((s + round) % systems.size());
                    final Trial t = runTrial(system, writers, round, seconds, base);
                    trials.add(t);
                    System.out.printf(Locale.ROOT, "  %-11s writers=%-3d round=%d  %9.0f ops/s  p50=%6.2f ms  "
                        + "p99=%7.2f ms  load %s -> %s  cpu %.0f%%%n", system, writers, round, t.opsPerSecond(),
                        t.p50Ms(), t.p99Ms(), t.loadBefore(), t.loadAfter(), t.cpuBusyPercent());
                    if (opts.containsKey("json")) { // rewritten after each trial: a stopped run keeps its trials
                        Files.writeString(Path.of(opts.get("json")), toJson(trials));
                    }
                }
            }
        }
        System.out.println();
        System.out.print(report(trials, writerCounts, systems));
    }

    public static String toJson(final List<Trial> trials) {
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(trials);
    }

    public static List<Trial> fromJson(final String json) {
        return new GsonBuilder().serializeSpecialFloatingPointValues().create()
            .fromJson(json, new TypeToken<List<Trial>>() { }.getType());
    }

    private static Trial runTrial(final String system, final int writers, final int round, final int seconds,
                                  final Path base) throws Exception {
        final Path dir = Files.createTempDirectory(base, "duet-bench-" + system + "-");
        final String loadBefore = HostProbe.loadAverage();
        try {
            switch (system) {
                case "naive" -> {
                    try (NaiveLog log = new NaiveLog(dir.resolve("naive.log"))) {
                        return warmThenMeasure(system, writers, round, seconds, log::append, loadBefore);
                    }
                }
                case "rocksdb" -> {
                    try (RocksLog db = new RocksLog(dir)) {
                        return warmThenMeasure(system, writers, round, seconds, db::put, loadBefore);
                    }
                }
                default -> {
                    // No automatic checkpoint during a 5 s trial: it would pause applies while the
                    // table is written (a known limitation, see docs/benchmarks.md) and measure that.
                    try (DuetStore store = DuetStore.open(dir,
                        StoreOptions.defaults().withIoMode(IoMode.parse(system)).withCheckpointEveryOps(0))) {
                        // The warmup also lets the first spare segment finish its zero fill.
                        return warmThenMeasure(system, writers, round, seconds, store::put, loadBefore);
                    }
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static Trial warmThenMeasure(final String system, final int writers, final int round, final int seconds,
                                         final Writer writer, final String loadBefore) throws InterruptedException {
        measure(system, writers, round, WARMUP_SECONDS, writer, loadBefore);
        return measure(system, writers, round, seconds, writer, HostProbe.loadAverage());
    }

    private static Trial measure(final String system, final int writers, final int round, final int seconds,
                                 final Writer writer, final String loadBefore) throws InterruptedException {
        final Recorder recorder = new Recorder(3);
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch done = new CountDownLatch(writers);
        final long[] opsByWriter = new long[writers];
        final HostProbe.CpuTimes cpuStart = HostProbe.cpuTimes();
        final long startNs = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            final int id = w;
            final Thread t = new Thread(() -> {
                final byte[] value = new byte[VALUE_BYTES];
                long n = 0;
                try {
                    while (!stop.get()) {
                        final byte[] key = key(id, n);
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
        final HostProbe.CpuTimes cpuEnd = HostProbe.cpuTimes();
        long ops = 0;
        for (final long n : opsByWriter) {
            ops += n;
        }
        final Histogram us = recorder.getIntervalHistogram();
        return new Trial(system, writers, round, ops, elapsed, ops / elapsed, us.getMean() / 1e3,
            us.getValueAtPercentile(50) / 1e3, us.getValueAtPercentile(99) / 1e3, us.getMaxValue() / 1e3,
            loadBefore, HostProbe.loadAverage(), cpuStart.busySince(cpuEnd), cpuStart.iowaitSince(cpuEnd));
    }

    /**
     * The key of a writer's n-th put, {@code k<writer, 7 digits>-<n mod 10^6, 7 digits>} (16 bytes).
     * Built by hand: {@code String.format} cost a tenth of the CPU of a 64-writer trial, which
     * every system paid alike and which thinned every ratio.
     */
    static byte[] key(final int writer, final long n) {
        final byte[] key = new byte[KEY_BYTES];
        key[0] = 'k';
        writeDigits(key, 1, writer);
        key[8] = '-';
        writeDigits(key, 9, n % KEYS_PER_WRITER);
        return key;
    }

    private static void writeDigits(final byte[] into, final int at, final long value) {
        if (value < 0 || value >= 10_000_000) {
            throw new IllegalArgumentException("needs 7 digits at most: " + value);
        }
        long rest = value;
        for (int i = at + 6; i >= at; i--) {
            into[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
    }

    /** The trial with the median throughput of each (system, writers), in writer order. */
    public static Map<String, Trial> medians(final List<Trial> trials) {
        final Map<String, Trial> out = new LinkedHashMap<>();
        final Map<String, List<Trial>> groups = new LinkedHashMap<>();
        for (final Trial t : trials) {
            groups.computeIfAbsent(t.system() + "@" + t.writers(), k -> new ArrayList<>()).add(t);
        }
        groups.forEach((k, list) -> {
            final List<Trial> sorted = list.stream().sorted(Comparator.comparingDouble(Trial::opsPerSecond)).toList();
            out.put(k, sorted.get((sorted.size() - 1) / 2)); // lower median: a real trial, not an average
        });
        return out;
    }

    static String report(final List<Trial> trials, final List<Integer> writerCounts, final List<String> systems) {
        final Map<String, Trial> median = medians(trials);
        final StringBuilder out = new StringBuilder();
        out.append("| writers | system | durable puts/s (median trial) | p50 ms | p99 ms | load avg (1 min) before→after |\n");
        out.append("| ---: | --- | ---: | ---: | ---: | --- |\n");
        for (final int writers : writerCounts) {
            for (final String system : systems) {
                final Trial mid = median.get(system + "@" + writers);
                if (mid == null) {
                    continue;
                }
                final StringBuilder loads = new StringBuilder();
                trials.stream().filter(t -> t.writers() == writers && t.system().equals(system)).forEach(t ->
                    loads.append(loads.length() == 0 ? "" : ", ").append(t.loadBefore().split(" ")[0]).append("→")
                        .append(t.loadAfter().split(" ")[0]));
                out.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %s |%n", writers, system,
                    mid.opsPerSecond(), mid.p50Ms(), mid.p99Ms(), loads));
            }
        }
        out.append("\nRatios (median trials, same run):\n");
        for (final int writers : writerCounts) {
            final StringBuilder line = new StringBuilder();
            for (final String system : List.of("io_uring", "filechannel")) {
                for (final String peer : List.of("rocksdb", "naive")) {
                    final Trial a = median.get(system + "@" + writers);
                    final Trial b = median.get(peer + "@" + writers);
                    if (a != null && b != null) {
                        line.append(String.format(Locale.ROOT, "%s%s / %s = %.2fx", line.length() == 0 ? "" : ", ",
                            system, peer, a.opsPerSecond() / b.opsPerSecond()));
                    }
                }
            }
            if (line.length() > 0) {
                out.append("- ").append(writers).append(" writers: ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    static Map<String, String> parse(final String[] args) {
        final Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: EngineBenchmark [--seconds N] [--rounds N] "
                    + "[--writers 1,16,64,256] [--systems " + String.join(",", ALL_SYSTEMS) + "] [--dir DIR] "
                    + "[--json FILE]; bad argument '" + args[i] + "'");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    static String loadAverage() {
        return HostProbe.loadAverage();
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    public static void deleteTreeIfExists(final Path dir) throws IOException {
        if (Files.exists(dir)) {
            deleteTree(dir);
        }
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

package io.duetdb.bench.sidebyside;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.bench.EngineBenchmark;
import io.duetdb.bench.load.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables, ratios, target verdicts and charts from a made-up run whose answers are known. */
class ReportAndChartsTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    /** A trial of {@code count} puts in 10 s, every one taking {@code latencyUs}. */
    private static LoadResult result(final String system, final int clients, final long count, final long latencyUs) {
        final Histogram h = new Histogram(3);
        h.recordValueWithCount(latencyUs, count);
        final LoadResult.OpSummary s = LoadResult.OpSummary.of(count, 0, 10.0, h);
        return new LoadResult("duet-bench", "put", system, List.of("127.0.0.1:1"), clients, 1, 8, 256, 100_000, true,
            0, null, 0, 3000, 10.0, "2026-01-01T00:00:00Z", "1.00 1.00 1.00", "2.00 1.00 1.00", 90, 1, 2, "17",
            true, s, Map.of("put", s), Map.of(), 0, 0, Map.of("client", count / 10, "4242", count),
            Map.of("4242", count / 4));
    }

    private static RunRecord record() {
        final List<RunRecord.ClusterTrial> trials = new ArrayList<>();
        int order = 0;
        for (final int round : new int[] {1, 2}) {
            for (final int clients : new int[] {1, 64, 256}) {
                // Duet: 12x etcd's puts at 64 and 256, half the no-op's; p50 1 ms vs etcd's 2 ms.
                trials.add(trial(++order, round, "duet", clients, 1200L * clients, 1000));
                trials.add(trial(++order, round, "etcd", clients, 100L * clients, 2000));
                trials.add(trial(++order, round, "noop", clients, 2400L * clients, 500));
            }
        }
        final List<EngineBenchmark.Trial> engine = new ArrayList<>();
        for (final String system : List.of("io_uring", "rocksdb", "naive")) {
            final double ops = system.equals("io_uring") ? 30_000 : system.equals("rocksdb") ? 10_000 : 5_000;
            engine.add(new EngineBenchmark.Trial(system, 64, 0, (long) ops * 5, 5, ops, 1, 1, 2, 3, "1.0 1.0 1.0",
                "3.0 1.0 1.0", 99, 1));
        }
        final RunRecord.Environment env = new RunRecord.Environment("start", "end", "cmd", "6.18", "cpu", 2, "java 17",
            "etcd 3.4.23", Map.of("jetcd", "0.8.7"), "abc", 0.5, 0.6, "1 1 1", "2 2 2", List.of());
        return new RunRecord(env, trials, engine);
    }

    private static RunRecord.ClusterTrial trial(final int order, final int round, final String system,
                                                final int clients, final long count, final long latencyUs) {
        return new RunRecord.ClusterTrial(order, round, system, clients, 1, "f.json",
            result(system, clients, count, latencyUs), null);
    }

    @Test
    void ratiosAndVerdictsFollowTheData() {
        final String md = Report.markdown(record());
        assertTrue(md.contains("| Duet puts/s ≥ 10x etcd at 64 clients | 12.00x"), md);
        assertTrue(md.contains("| Duet puts/s ≥ 10x etcd at 256 clients | 12.00x"), md);
        assertTrue(md.contains("| Duet puts/s ≥ 50% of the no-op ceiling at 64/1 | 50%"), md);
        assertTrue(md.contains("| engine (io_uring) ≥ 2x RocksDB sync=true at 64 writers | 3.00x"), md);
        assertTrue(md.contains("single-client put latency ≤ etcd's | p50 1.00 vs 2.00 ms"), md);
        assertTrue(!md.contains("**no**"), "every made-up target is met:\n" + md);
        assertTrue(md.contains("| 64/1 | 12.00x | 12.00, 12.00 | 0.50x | 0.50, 0.50 | 0.50 |"), md);
        assertTrue(md.contains("| 1.000 | 0.250 | 0.100 |"),
            "1 ms of server CPU per put, 0.25 of it JIT, and 0.1 ms of client CPU:\n" + md);
    }

    @Test
    void aMissedTargetSaysNo() {
        final RunRecord r = record();
        final List<RunRecord.ClusterTrial> slower = r.cluster().stream().map(t -> !t.system().equals("duet") ? t
            : trial(t.order(), t.round(), "duet", t.clients(), 300L * t.clients(), 4000)).toList();
        final String md = Report.markdown(new RunRecord(r.environment(), slower, r.engine()));
        assertTrue(md.contains("| Duet puts/s ≥ 10x etcd at 64 clients | 3.00x (1,920 vs 640 puts/s) | **no** |"),
            md);
        assertTrue(md.contains("p50 4.00 vs 2.00 ms") && md.contains("**no**"), md);
    }

    @Test
    void chartsArePngsAndTheRecordRoundTrips(@TempDir final Path dir) throws Exception {
        final RunRecord r = RunRecord.fromJson(record().toJson());
        assertEquals(18, r.cluster().size());
        final List<Path> files = Charts.render(r, dir);
        assertEquals(List.of("cluster-throughput.png", "cluster-latency.png", "cluster-cpu.png", "engine-throughput.png",
            "engine-latency.png"), files.stream().map(p -> p.getFileName().toString()).toList());
        for (final Path f : files) {
            final byte[] head = Arrays.copyOf(Files.readAllBytes(f), 4);
            assertArrayEquals(PNG_MAGIC, head, f + " is not a PNG");
        }
        assertEquals("load 1.0–2.0 on " + Runtime.getRuntime().availableProcessors() + " cores",
            Charts.loadRange(List.of("1.00 5 5", "2.00 1 1", "n/a")));
    }
}

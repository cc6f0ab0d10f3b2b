package io.duetdb.bench.sidebyside;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * A trial of {@code count} operations in 10 s, every one taking {@code latencyUs}; the servers
     * use 1 ms of CPU per op (a quarter of it JIT), the client 0.1 ms.
     */
    private static LoadResult result(final String workload, final String system, final int clients, final long count,
                                     final long latencyUs) {
        final Histogram h = new Histogram(3);
        h.recordValueWithCount(latencyUs, count);
        final LoadResult.OpSummary s = LoadResult.OpSummary.of(count, 0, 10.0, h);
        return new LoadResult("duet-bench", workload, system, List.of("127.0.0.1:1"), clients, 1, 8, 256, 100_000,
            true, 0, null, 0, 3000, 10.0, "2026-01-01T00:00:00Z", "1.00 1.00 1.00", "2.00 1.00 1.00", 90, 1, 2, "17",
            true, s, Map.of(workload, s), Map.of(), 0, 0, Map.of("client", count / 10, "4242", count),
            Map.of("4242", count / 4));
    }

    /**
     * Every workload at 1, 64 and 256 clients, two rounds. Puts: Duet 1.2x etcd, half the no-op,
     * p50 1 ms vs 1 ms. Reads from the leader: Duet 2x etcd, p50 1 vs 1 ms; through a follower Duet
     * does 0.9x its leader's reads at p50 1.5 ms. The mix: Duet 1.5x etcd.
     */
    private static RunRecord record() {
        final List<RunRecord.ClusterTrial> trials = new ArrayList<>();
        int order = 0;
        for (final int round : new int[] {1, 2}) {
            for (final int clients : new int[] {1, 64, 256}) {
                trials.add(trial(++order, round, "put", "duet", clients, 120L * clients, 1000));
                trials.add(trial(++order, round, "put", "etcd", clients, 100L * clients, 1000));
                trials.add(trial(++order, round, "put", "noop", clients, 240L * clients, 500));
                trials.add(trial(++order, round, "read-leader", "duet", clients, 200L * clients, 1000));
                trials.add(trial(++order, round, "read-leader", "etcd", clients, 100L * clients, 1000));
                trials.add(trial(++order, round, "read-follower", "duet", clients, 180L * clients, 1500));
                trials.add(trial(++order, round, "read-follower", "etcd", clients, 50L * clients, 3000));
                trials.add(trial(++order, round, "mix-90-10", "duet", clients, 150L * clients, 1000));
                trials.add(trial(++order, round, "mix-90-10", "etcd", clients, 100L * clients, 1000));
            }
        }
        final List<EngineBenchmark.Trial> engine = new ArrayList<>();
        for (final int round : new int[] {1, 2}) {
            for (final String system : List.of("io_uring", "rocksdb", "naive")) {
                final double ops = system.equals("io_uring") ? 30_000 : system.equals("rocksdb") ? 10_000 : 5_000;
                engine.add(new EngineBenchmark.Trial(system, 64, round, (long) ops * 5, 5, ops, 1, 1, 2, 3,
                    "1.0 1.0 1.0", "3.0 1.0 1.0", 99, 1));
            }
        }
        final RunRecord.Environment env = new RunRecord.Environment("start", "end", "cmd", "6.18", "cpu", 2, "java 17",
            "etcd 3.4.23", Map.of("jetcd", "0.8.7"), "abc", 0.5, 0.6, "1 1 1", "2 2 2", List.of());
        return new RunRecord(env, trials, engine);
    }

    private static RunRecord.ClusterTrial trial(final int order, final int round, final String workload,
                                                final String system, final int clients, final long count,
                                                final long latencyUs) {
        return new RunRecord.ClusterTrial(order, round, workload, system, clients, 1, "f.json",
            result(workload, system, clients, count, latencyUs), null);
    }

    @Test
    void ratiosAndVerdictsFollowTheData() {
        final String md = Report.markdown(record());
        assertTrue(md.contains("| Duet puts/s ≥ 1.0x etcd at 64/1 | 1.20x (768 vs 640) | **yes** |"), md);
        assertTrue(md.contains("| Duet puts/s ≥ 0.8x etcd at 1/1 | 1.20x"), md);
        assertTrue(md.contains("| put p50 at 1 client ≤ 1.25x etcd's | 1.00x (1.00 vs 1.00 ms) | **yes** |"), md);
        assertTrue(md.contains("| server CPU per put ≤ 1.2x etcd's at 256/1 | 1.00x"), md);
        assertTrue(md.contains("| Duet linearizable reads/s from the leader ≥ 1.5x etcd at 64/1 | 2.00x"), md);
        assertTrue(md.contains("| Duet follower read p50 at 1 client ≤ 2x the leader's | 1.50x"), md);
        assertTrue(md.contains("| Duet follower reads/s at 64 clients ≥ 0.8x the leader's | 0.90x"), md);
        assertTrue(md.contains("| Duet 90/10 mix ops/s ≥ 1.2x etcd at 256/1 | 1.50x"), md);
        assertTrue(md.contains("| engine (io_uring) ≥ 2x RocksDB sync=true at 64 writers, every round | 3.00x, 3.00x "
            + "per round | **yes** |"), md);
        assertFalse(md.contains("**no**"), "every made-up target is met:\n" + md);
        assertTrue(md.contains("| 64/1 | 1.20x | 1.20, 1.20 | 0.50x | 0.50, 0.50 | 1.00 | 1.00 |"), md);
        assertTrue(md.contains("| 1.000 | 0.250 | 0.100 |"),
            "1 ms of server CPU per op, 0.25 of it JIT, and 0.1 ms of client CPU:\n" + md);
        assertTrue(md.contains("| 64/1 | etcd | 0.50x | 3.00 |"), "etcd's follower against its leader:\n" + md);
        assertTrue(md.contains("| 7 | 1 | read-follower | 1/1 | etcd |"), "every trial, with its workload:\n" + md);
    }

    @Test
    void aMissedTargetSaysNo() {
        final RunRecord r = record();
        final List<RunRecord.ClusterTrial> slower = r.cluster().stream()
            .map(t -> !t.system().equals("duet") ? t : trial(t.order(), t.round(), t.workload(), "duet", t.clients(),
                30L * t.clients(), 4000)).toList();
        final String md = Report.markdown(new RunRecord(r.environment(), slower, r.engine()));
        assertTrue(md.contains("| Duet puts/s ≥ 1.0x etcd at 64/1 | 0.30x (192 vs 640) | **no** |"), md);
        assertTrue(md.contains("| put p50 at 1 client ≤ 1.25x etcd's | 4.00x (4.00 vs 1.00 ms) | **no** |"), md);
        assertTrue(md.contains("| Duet follower read p50 at 1 client ≤ 2x the leader's | 1.00x"), md);
    }

    @Test
    void runsFromBeforeReadsWereMeasuredAreAllPuts() {
        final String json = record().toJson().replace("\"workload\": \"put\",", "");
        final RunRecord r = RunRecord.fromJson(json);
        assertTrue(r.cluster().stream().anyMatch(t -> t.workload() == null));
        assertEquals(ClusterWorkload.PUT, ClusterWorkload.of(r.cluster().get(0)));
    }

    @Test
    void chartsArePngsAndTheRecordRoundTrips(@TempDir final Path dir) throws Exception {
        final RunRecord r = RunRecord.fromJson(record().toJson());
        assertEquals(54, r.cluster().size());
        final List<Path> files = Charts.render(r, dir);
        final List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("cluster-throughput.png", "cluster-latency.png", "cluster-cpu.png",
            "cluster-read-leader-throughput.png", "cluster-read-leader-latency.png", "cluster-read-leader-cpu.png",
            "cluster-read-follower-throughput.png", "cluster-read-follower-latency.png", "cluster-read-follower-cpu.png",
            "cluster-mix-90-10-throughput.png", "cluster-mix-90-10-latency.png", "cluster-mix-90-10-cpu.png",
            "engine-throughput.png", "engine-latency.png"), names);
        for (final Path f : files) {
            final byte[] head = Arrays.copyOf(Files.readAllBytes(f), 4);
            assertArrayEquals(PNG_MAGIC, head, f + " is not a PNG");
        }
        assertEquals("load 1.0–2.0 on " + Runtime.getRuntime().availableProcessors() + " cores",
            Charts.loadRange(List.of("1.00 5 5", "2.00 1 1", "n/a")));
    }
}

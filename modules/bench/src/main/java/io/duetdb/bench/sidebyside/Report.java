package io.duetdb.bench.sidebyside;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** results.md: the run's environment, tables, ratios and the targets, from {@link RunRecord} alone. */
final class Report {
    private Report() {
    }

    static String markdown(final RunRecord r) {
        final StringBuilder b = new StringBuilder();
        final RunRecord.Environment e = r.environment();
        b.append("# Side-by-side run ").append(e.startedAt()).append("\n\n");
        b.append("Command: `").append(e.command()).append("`\n\n");
        b.append("| | |\n| --- | --- |\n");
        row(b, "machine", e.cpuModel() + ", " + e.cores() + " cores, kernel " + e.kernel());
        row(b, "Java", e.java());
        row(b, "etcd", e.etcd());
        row(b, "libraries", e.libraries().entrySet().stream().map(x -> x.getKey() + " " + x.getValue())
            .collect(Collectors.joining(", ")));
        row(b, "Duet commit", e.duetCommit());
        row(b, "run", e.startedAt() + " → " + e.finishedAt());
        row(b, "load average (1/5/15 min)", e.loadavgBefore() + " before → " + e.loadavgAfter() + " after");
        row(b, "fdatasync floor (4 KiB, one at a time)", f2(e.fsyncMsBefore()) + " ms before → "
            + f2(e.fsyncMsAfter()) + " ms after");
        b.append('\n');
        if (!r.cluster().isEmpty()) {
            cluster(b, r);
        }
        if (!r.engine().isEmpty()) {
            engine(b, r);
        }
        targets(b, r);
        return b.toString();
    }

    private static void cluster(final StringBuilder b, final RunRecord r) {
        final Map<String, List<Aggregates.ClusterPoint>> points = Aggregates.cluster(r);
        b.append("## Cluster: durable puts, 3 members on loopback (no-op: 1 process)\n\n");
        b.append("Puts/s pool all rounds (successful puts / measured seconds); percentiles come from the merged "
            + "histograms. CPU ms/put: CPU time of the system's processes (all members) and of the client "
            + "process in the measured windows, per successful put; unlike puts/s it hardly depends on what "
            + "else runs on the machine. Of which JIT: the part of the server CPU that the JVMs' C1/C2 "
            + "compiler threads used (still compiling means the warm-up was short; etcd has none). "
            + "Load: 1-minute load average before→after each round's trial.\n\n");
        b.append("| clients/conns | system | puts/s | p50 ms | p99 ms | p99.9 ms | errors | server CPU ms/put "
            + "| of which JIT | client CPU ms/put | machine CPU busy | load per round |\n");
        b.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        final List<Aggregates.ClusterPoint> all = new ArrayList<>();
        points.values().forEach(all::addAll);
        all.sort(java.util.Comparator.comparingInt(Aggregates.ClusterPoint::clients));
        for (final Aggregates.ClusterPoint p : all) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d | %s | %s | %s | %.0f%% | %s |%n",
                p.shape(), p.system(), f0(p.opsPerSecond()), f2(p.latencyMs().p50()), f2(p.latencyMs().p99()),
                f2(p.latencyMs().p999()), p.errors(), f3(p.serverCpuMsPerPut()), f3(p.serverJitMsPerPut()),
                f3(p.clientCpuMsPerPut()),
                p.cpuBusyPercent(), String.join(", ", p.loads())));
        }
        b.append("\n| clients/conns | Duet / etcd puts/s | per round | Duet / no-op puts/s | per round "
            + "| Duet p50 / etcd p50 |\n| ---: | ---: | --- | ---: | --- | ---: |\n");
        for (final Aggregates.ClusterPoint d : points.getOrDefault("duet", List.of())) {
            final Aggregates.ClusterPoint etcd = Aggregates.find(points, "etcd", d.clients());
            final Aggregates.ClusterPoint noop = Aggregates.find(points, "noop", d.clients());
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", d.shape(),
                ratio(d, etcd), perRound(d, etcd), ratio(d, noop), perRound(d, noop),
                etcd == null ? "–" : f2(d.latencyMs().p50() / etcd.latencyMs().p50())));
        }
        for (final String variant : points.keySet().stream().filter(x -> x.startsWith("duet:")).toList()) {
            b.append("\n`").append(variant).append("` vs default Duet, puts/s (per round): ");
            final List<String> cells = new ArrayList<>();
            for (final Aggregates.ClusterPoint v : points.get(variant)) {
                final Aggregates.ClusterPoint d = Aggregates.find(points, "duet", v.clients());
                cells.add(v.shape() + " " + ratio(v, d) + " (" + perRound(v, d) + ")");
            }
            b.append(String.join("; ", cells)).append('\n');
        }
        b.append("\nEvery trial, in the order run (systems alternate; the first system rotates):\n\n");
        b.append("| # | round | clients/conns | system | puts/s | p50 ms | p99 ms | load before→after | CPU busy |\n");
        b.append("| ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |\n");
        for (final RunRecord.ClusterTrial t : r.cluster()) {
            if (t.result() == null) {
                b.append(String.format(Locale.ROOT, "| %d | %d | %d/%d | %s | failed: %s | | | | |%n", t.order(),
                    t.round(), t.clients(), t.conns(), t.system(), t.error()));
                continue;
            }
            final io.duetdb.bench.load.LoadResult res = t.result();
            b.append(String.format(Locale.ROOT, "| %d | %d | %d/%d | %s | %s | %s | %s | %s → %s | %.0f%% |%n",
                t.order(), t.round(), t.clients(), t.conns(), t.system(), f0(res.total().opsPerSecond()),
                f2(res.total().latencyMs().p50()), f2(res.total().latencyMs().p99()), res.loadavgBefore(),
                res.loadavgAfter(), res.cpuBusyPercent()));
        }
        b.append('\n');
    }

    private static void engine(final StringBuilder b, final RunRecord r) {
        final Map<String, List<Aggregates.EnginePoint>> points = Aggregates.engine(r);
        b.append("## Engine: durable puts in one process, 16-byte keys, 256-byte values\n\n");
        b.append("Means over rounds. Load: 1-minute load average before→after each round's trial.\n\n");
        b.append("| writers | system | puts/s | p50 ms | p99 ms | puts/s per round | load per round |\n");
        b.append("| ---: | --- | ---: | ---: | ---: | --- | --- |\n");
        final List<Aggregates.EnginePoint> all = new ArrayList<>();
        points.values().forEach(all::addAll);
        all.sort(java.util.Comparator.comparingInt(Aggregates.EnginePoint::writers));
        for (final Aggregates.EnginePoint p : all) {
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s |%n", p.writers(), p.system(),
                f0(p.opsPerSecond()), f2(p.p50Ms()), f2(p.p99Ms()),
                p.opsPerRound().stream().map(Report::f0).collect(Collectors.joining(", ")), String.join(", ", p.loads())));
        }
        b.append("\n| writers | io_uring / RocksDB | FileChannel / RocksDB | io_uring / naive | RocksDB / naive |\n");
        b.append("| ---: | ---: | ---: | ---: | ---: |\n");
        for (final Aggregates.EnginePoint p : points.getOrDefault("rocksdb", List.of())) {
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", p.writers(),
                engineRatio(points, "io_uring", "rocksdb", p.writers()),
                engineRatio(points, "filechannel", "rocksdb", p.writers()),
                engineRatio(points, "io_uring", "naive", p.writers()),
                engineRatio(points, "rocksdb", "naive", p.writers())));
        }
        b.append('\n');
    }

    private static void targets(final StringBuilder b, final RunRecord r) {
        final Map<String, List<Aggregates.ClusterPoint>> c = Aggregates.cluster(r);
        final Map<String, List<Aggregates.EnginePoint>> en = Aggregates.engine(r);
        b.append("## Targets (ratios from this run)\n\n| target | measured | met |\n| --- | --- | --- |\n");
        for (final int clients : new int[] {64, 256}) {
            final Aggregates.ClusterPoint d = Aggregates.find(c, "duet", clients);
            final Aggregates.ClusterPoint etcd = Aggregates.find(c, "etcd", clients);
            if (d != null && etcd != null) {
                final double x = d.opsPerSecond() / etcd.opsPerSecond();
                b.append(String.format(Locale.ROOT, "| Duet puts/s ≥ 10x etcd at %d clients | %.2fx (%s vs %s puts/s) "
                    + "| %s |%n", clients, x, f0(d.opsPerSecond()), f0(etcd.opsPerSecond()), met(x >= 10)));
            }
        }
        final Aggregates.ClusterPoint d1 = Aggregates.find(c, "duet", 1);
        final Aggregates.ClusterPoint e1 = Aggregates.find(c, "etcd", 1);
        if (d1 != null && e1 != null) {
            b.append(String.format(Locale.ROOT, "| single-client put latency ≤ etcd's | p50 %s vs %s ms, mean %s vs %s "
                    + "ms | %s |%n", f2(d1.latencyMs().p50()), f2(e1.latencyMs().p50()), f2(d1.latencyMs().mean()),
                f2(e1.latencyMs().mean()), met(d1.latencyMs().p50() <= e1.latencyMs().p50())));
        }
        for (final Aggregates.ClusterPoint d : c.getOrDefault("duet", List.of())) {
            final Aggregates.ClusterPoint noop = Aggregates.find(c, "noop", d.clients());
            if (noop != null) {
                final double x = d.opsPerSecond() / noop.opsPerSecond();
                b.append(String.format(Locale.ROOT, "| Duet puts/s ≥ 50%% of the no-op ceiling at %s | %.0f%% (%s vs %s) "
                    + "| %s |%n", d.shape(), 100 * x, f0(d.opsPerSecond()), f0(noop.opsPerSecond()), met(x >= 0.5)));
            }
        }
        for (final String system : List.of("io_uring", "filechannel")) {
            final Aggregates.EnginePoint a = Aggregates.findEngine(en, system, 64);
            final Aggregates.EnginePoint rocks = Aggregates.findEngine(en, "rocksdb", 64);
            if (a != null && rocks != null) {
                final double x = a.opsPerSecond() / rocks.opsPerSecond();
                b.append(String.format(Locale.ROOT, "| engine (%s) ≥ 2x RocksDB sync=true at 64 writers | %.2fx (%s vs %s)"
                    + " | %s |%n", system, x, f0(a.opsPerSecond()), f0(rocks.opsPerSecond()), met(x >= 2)));
            }
        }
        b.append('\n');
    }

    private static String ratio(final Aggregates.ClusterPoint a, final Aggregates.ClusterPoint b) {
        return b == null ? "–" : String.format(Locale.ROOT, "%.2fx", a.opsPerSecond() / b.opsPerSecond());
    }

    /** The ratio in each round: adjacent trials in time, so the spread shows how much the load moved. */
    private static String perRound(final Aggregates.ClusterPoint a, final Aggregates.ClusterPoint b) {
        if (b == null) {
            return "–";
        }
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(a.opsPerRound().size(), b.opsPerRound().size()); i++) {
            out.add(String.format(Locale.ROOT, "%.2f", a.opsPerRound().get(i) / b.opsPerRound().get(i)));
        }
        return String.join(", ", out);
    }

    private static String engineRatio(final Map<String, List<Aggregates.EnginePoint>> points, final String a,
                                      final String b, final int writers) {
        final Aggregates.EnginePoint x = Aggregates.findEngine(points, a, writers);
        final Aggregates.EnginePoint y = Aggregates.findEngine(points, b, writers);
        return x == null || y == null ? "–" : String.format(Locale.ROOT, "%.2fx", x.opsPerSecond() / y.opsPerSecond());
    }

    private static String met(final boolean met) {
        return met ? "**yes**" : "**no**";
    }

    private static void row(final StringBuilder b, final String k, final String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    static String f0(final double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f3(final double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String f2(final double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}

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
        b.append("## Cluster: 3 members on loopback (no-op: 1 process)\n\n");
        b.append("Ops/s pool all rounds (successful operations / measured seconds); percentiles come from the "
            + "merged histograms. CPU ms/op: CPU time of the system's processes (all members) and of the client "
            + "process in the measured windows, per successful operation; unlike ops/s it hardly depends on what "
            + "else runs on the machine. Of which JIT: the part of the server CPU that the JVMs' C1/C2 "
            + "compiler threads used (still compiling means the warm-up was short; etcd has none). "
            + "Load: 1-minute load average before→after each round's trial. Reads go to one member, as a "
            + "client without a leader preference sends them; the no-op service is its own leader and follower.\n\n");
        for (final ClusterWorkload w : Aggregates.workloads(r)) {
            workload(b, w, Aggregates.cluster(r, w));
        }
        followerVsLeader(b, r);
        b.append("Every trial, in the order run (systems alternate; the first system rotates):\n\n");
        b.append("| # | round | workload | clients/conns | system | ops/s | p50 ms | p99 ms | load before→after "
            + "| CPU busy |\n");
        b.append("| ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | --- | ---: |\n");
        for (final RunRecord.ClusterTrial t : r.cluster()) {
            final String workload = ClusterWorkload.of(t).label();
            if (t.result() == null) {
                b.append(String.format(Locale.ROOT, "| %d | %d | %s | %d/%d | %s | failed: %s | | | | |%n", t.order(),
                    t.round(), workload, t.clients(), t.conns(), t.system(), t.error()));
                continue;
            }
            final io.duetdb.bench.load.LoadResult res = t.result();
            b.append(String.format(Locale.ROOT, "| %d | %d | %s | %d/%d | %s | %s | %s | %s | %s → %s | %.0f%% |%n",
                t.order(), t.round(), workload, t.clients(), t.conns(), t.system(), f0(res.total().opsPerSecond()),
                f2(res.total().latencyMs().p50()), f2(res.total().latencyMs().p99()), res.loadavgBefore(),
                res.loadavgAfter(), res.cpuBusyPercent()));
        }
        b.append('\n');
    }

    /** One workload's table of points and its ratio table (Duet against etcd and the no-op ceiling). */
    private static void workload(final StringBuilder b, final ClusterWorkload w,
                                 final Map<String, List<Aggregates.ClusterPoint>> points) {
        final String unit = w.unit();
        final String op = unit.substring(0, unit.length() - 1);
        b.append("### ").append(w.label()).append(": ").append(w.description()).append("\n\n");
        b.append(String.format(Locale.ROOT, "| clients/conns | system | %s/s | p50 ms | p99 ms | p99.9 ms | errors "
            + "| server CPU ms/%s | of which JIT | client CPU ms/%s | machine CPU busy | load per round |%n", unit, op, op));
        b.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        final List<Aggregates.ClusterPoint> all = new ArrayList<>();
        points.values().forEach(all::addAll);
        all.sort(java.util.Comparator.comparingInt(Aggregates.ClusterPoint::clients));
        for (final Aggregates.ClusterPoint p : all) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d | %s | %s | %s | %.0f%% | %s |%n",
                p.shape(), p.system(), f0(p.opsPerSecond()), f2(p.latencyMs().p50()), f2(p.latencyMs().p99()),
                f2(p.latencyMs().p999()), p.errors(), f3(p.serverCpuMsPerOp()), f3(p.serverJitMsPerOp()),
                f3(p.clientCpuMsPerOp()), p.cpuBusyPercent(), String.join(", ", p.loads())));
        }
        b.append(String.format(Locale.ROOT, "%n| clients/conns | Duet / etcd %s/s | per round | Duet / no-op %s/s "
            + "| per round | Duet p50 / etcd p50 | Duet / etcd server CPU per %s |%n"
            + "| ---: | ---: | --- | ---: | --- | ---: | ---: |%n", unit, unit, op));
        for (final Aggregates.ClusterPoint d : points.getOrDefault("duet", List.of())) {
            final Aggregates.ClusterPoint etcd = Aggregates.find(points, "etcd", d.clients());
            final Aggregates.ClusterPoint noop = Aggregates.find(points, "noop", d.clients());
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", d.shape(),
                ratio(d, etcd), perRound(d, etcd), ratio(d, noop), perRound(d, noop),
                etcd == null ? "–" : f2(d.latencyMs().p50() / etcd.latencyMs().p50()),
                etcd == null ? "–" : f2(d.serverCpuMsPerOp() / etcd.serverCpuMsPerOp())));
        }
        for (final String variant : points.keySet().stream().filter(x -> x.startsWith("duet:")).toList()) {
            b.append("\n`").append(variant).append("` vs default Duet, ").append(unit).append("/s (per round): ");
            final List<String> cells = new ArrayList<>();
            for (final Aggregates.ClusterPoint v : points.get(variant)) {
                final Aggregates.ClusterPoint d = Aggregates.find(points, "duet", v.clients());
                cells.add(v.shape() + " " + ratio(v, d) + " (" + perRound(v, d) + ")");
            }
            b.append(String.join("; ", cells)).append('\n');
        }
        b.append('\n');
    }

    /** Each system's linearizable reads through a follower against its own through the leader. */
    private static void followerVsLeader(final StringBuilder b, final RunRecord r) {
        final Map<String, List<Aggregates.ClusterPoint>> follower = Aggregates.cluster(r, ClusterWorkload.READ_FOLLOWER);
        final Map<String, List<Aggregates.ClusterPoint>> leader = Aggregates.cluster(r, ClusterWorkload.READ_LEADER);
        if (follower.isEmpty() || leader.isEmpty()) {
            return;
        }
        b.append("### Linearizable reads: through a follower against through the leader, each system against "
            + "itself\n\n| clients/conns | system | follower / leader reads/s | follower p50 / leader p50 |\n"
            + "| ---: | --- | ---: | ---: |\n");
        follower.forEach((system, points) -> {
            for (final Aggregates.ClusterPoint f : points) {
                final Aggregates.ClusterPoint l = Aggregates.find(leader, system, f.clients());
                if (l != null && !system.equals("noop")) {
                    b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", f.shape(), system, ratio(f, l),
                        f2(f.latencyMs().p50() / l.latencyMs().p50())));
                }
            }
        });
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

    /** Issue 15's targets, each a ratio measured in this run; a target without its trials is left out. */
    private static void targets(final StringBuilder b, final RunRecord r) {
        final Map<String, List<Aggregates.ClusterPoint>> puts = Aggregates.cluster(r, ClusterWorkload.PUT);
        final Map<String, List<Aggregates.ClusterPoint>> leader = Aggregates.cluster(r, ClusterWorkload.READ_LEADER);
        final Map<String, List<Aggregates.ClusterPoint>> follower = Aggregates.cluster(r, ClusterWorkload.READ_FOLLOWER);
        final Map<String, List<Aggregates.ClusterPoint>> mix = Aggregates.cluster(r, ClusterWorkload.MIX_90_10);
        b.append("## Targets (ratios from this run)\n\n| target | measured | met |\n| --- | --- | --- |\n");
        for (final int clients : new int[] {64, 256}) {
            vsEtcd(b, puts, clients, "puts/s", 1.0);
        }
        vsEtcd(b, puts, 1, "puts/s", 0.8);
        final Aggregates.ClusterPoint d1 = Aggregates.find(puts, "duet", 1);
        final Aggregates.ClusterPoint e1 = Aggregates.find(puts, "etcd", 1);
        if (d1 != null && e1 != null) {
            final double x = d1.latencyMs().p50() / e1.latencyMs().p50();
            b.append(String.format(Locale.ROOT, "| put p50 at 1 client ≤ 1.25x etcd's | %.2fx (%s vs %s ms) | %s |%n",
                x, f2(d1.latencyMs().p50()), f2(e1.latencyMs().p50()), met(x <= 1.25)));
        }
        for (final Aggregates.ClusterPoint d : puts.getOrDefault("duet", List.of())) {
            final Aggregates.ClusterPoint etcd = Aggregates.find(puts, "etcd", d.clients());
            if (etcd != null) {
                final double x = d.serverCpuMsPerOp() / etcd.serverCpuMsPerOp();
                b.append(String.format(Locale.ROOT, "| server CPU per put ≤ 1.2x etcd's at %s | %.2fx (%s vs %s ms) "
                    + "| %s |%n", d.shape(), x, f3(d.serverCpuMsPerOp()), f3(etcd.serverCpuMsPerOp()), met(x <= 1.2)));
            }
        }
        vsEtcd(b, leader, 64, "linearizable reads/s from the leader", 1.5);
        final Aggregates.ClusterPoint l1 = Aggregates.find(leader, "duet", 1);
        final Aggregates.ClusterPoint le1 = Aggregates.find(leader, "etcd", 1);
        if (l1 != null && le1 != null) {
            final double x = l1.latencyMs().p50() / le1.latencyMs().p50();
            b.append(String.format(Locale.ROOT, "| linearizable read p50 at 1 client ≤ 1.5x etcd's | %.2fx (%s vs %s ms) "
                + "| %s |%n", x, f2(l1.latencyMs().p50()), f2(le1.latencyMs().p50()), met(x <= 1.5)));
        }
        final Aggregates.ClusterPoint f1 = Aggregates.find(follower, "duet", 1);
        if (f1 != null && l1 != null) {
            final double x = f1.latencyMs().p50() / l1.latencyMs().p50();
            b.append(String.format(Locale.ROOT, "| Duet follower read p50 at 1 client ≤ 2x the leader's | %.2fx (%s vs "
                + "%s ms) | %s |%n", x, f2(f1.latencyMs().p50()), f2(l1.latencyMs().p50()), met(x <= 2)));
        }
        final Aggregates.ClusterPoint f64 = Aggregates.find(follower, "duet", 64);
        final Aggregates.ClusterPoint l64 = Aggregates.find(leader, "duet", 64);
        if (f64 != null && l64 != null) {
            final double x = f64.opsPerSecond() / l64.opsPerSecond();
            b.append(String.format(Locale.ROOT, "| Duet follower reads/s at 64 clients ≥ 0.8x the leader's | %.2fx (%s vs "
                + "%s) | %s |%n", x, f0(f64.opsPerSecond()), f0(l64.opsPerSecond()), met(x >= 0.8)));
        }
        for (final Aggregates.ClusterPoint d : mix.getOrDefault("duet", List.of())) {
            vsEtcd(b, mix, d.clients(), "90/10 mix ops/s", 1.2);
        }
        final Map<String, List<Aggregates.EnginePoint>> en = Aggregates.engine(r);
        for (final String system : List.of("io_uring", "filechannel")) {
            final Aggregates.EnginePoint a = Aggregates.findEngine(en, system, 64);
            final Aggregates.EnginePoint rocks = Aggregates.findEngine(en, "rocksdb", 64);
            if (a != null && rocks != null) {
                final List<Double> rounds = new ArrayList<>();
                for (int i = 0; i < Math.min(a.opsPerRound().size(), rocks.opsPerRound().size()); i++) {
                    rounds.add(a.opsPerRound().get(i) / rocks.opsPerRound().get(i));
                }
                final double worst = rounds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                b.append(String.format(Locale.ROOT, "| engine (%s) ≥ 2x RocksDB sync=true at 64 writers, every round "
                    + "| %s per round | %s |%n", system, rounds.stream().map(x -> String.format(Locale.ROOT, "%.2fx", x))
                    .collect(Collectors.joining(", ")), met(worst >= 2)));
            }
        }
        b.append('\n');
    }

    /** A "Duet ≥ {@code atLeast}x etcd" row at {@code clients} clients, when both were measured. */
    private static void vsEtcd(final StringBuilder b, final Map<String, List<Aggregates.ClusterPoint>> points,
                               final int clients, final String what, final double atLeast) {
        final Aggregates.ClusterPoint d = Aggregates.find(points, "duet", clients);
        final Aggregates.ClusterPoint etcd = Aggregates.find(points, "etcd", clients);
        if (d != null && etcd != null) {
            final double x = d.opsPerSecond() / etcd.opsPerSecond();
            b.append(String.format(Locale.ROOT, "| Duet %s ≥ %sx etcd at %s | %.2fx (%s vs %s) | %s |%n", what,
                String.format(Locale.ROOT, "%.1f", atLeast), d.shape(), x, f0(d.opsPerSecond()),
                f0(etcd.opsPerSecond()), met(x >= atLeast)));
        }
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

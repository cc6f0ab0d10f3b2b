package io.duetdb.bench.sidebyside;

import io.duetdb.bench.EngineBenchmark;
import io.duetdb.bench.load.LoadResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One point per (workload, system, client shape) from all rounds of a run. Cluster trials are
 * pooled: throughput is all successful operations over all measured seconds, percentiles come from the merged
 * histograms (percentiles of rounds cannot be averaged). Engine trials carry no histogram, so
 * there the rounds' throughput and percentiles are averaged.
 */
final class Aggregates {
    private Aggregates() {
    }

    /**
     * A pooled cluster point; {@code opsPerRound} and {@code loads} list the rounds in run order.
     * {@code serverJitMsPerOp} is the part of {@code serverCpuMsPerOp} spent in JIT compilers. An op
     * is a put, a read, or either in the mix.
     */
    record ClusterPoint(String system, int clients, int conns, double opsPerSecond, LoadResult.Latency latencyMs,
                        long errors, double cpuBusyPercent, double serverCpuMsPerOp, double serverJitMsPerOp,
                        double clientCpuMsPerOp,
                        List<Double> opsPerRound, List<String> loads) {
        String shape() {
            return clients + "/" + conns;
        }
    }

    /** An engine point (means over rounds). */
    record EnginePoint(String system, int writers, double opsPerSecond, double p50Ms, double p99Ms,
                       List<Double> opsPerRound, List<String> loads) {
    }

    /** The workloads the record has trials of, in the order first run. */
    static List<ClusterWorkload> workloads(final RunRecord record) {
        return record.cluster().stream().map(ClusterWorkload::of).distinct().toList();
    }

    /** Points of one workload by system, each list in the order the shapes were first run. */
    static Map<String, List<ClusterPoint>> cluster(final RunRecord record, final ClusterWorkload workload) {
        final Map<String, Map<String, List<RunRecord.ClusterTrial>>> groups = new LinkedHashMap<>();
        for (final RunRecord.ClusterTrial t : record.cluster()) {
            if (ClusterWorkload.of(t) != workload) {
                continue;
            }
            groups.computeIfAbsent(t.system(), k -> new LinkedHashMap<>())
                .computeIfAbsent(t.clients() + "/" + t.conns(), k -> new ArrayList<>()).add(t);
        }
        final Map<String, List<ClusterPoint>> out = new LinkedHashMap<>();
        groups.forEach((system, byShape) -> byShape.forEach((shape, trials) -> {
            final Histogram merged = new Histogram(3);
            long count = 0;
            long errors = 0;
            double seconds = 0;
            double cpu = 0;
            long serverCpuMs = 0;
            long serverJitMs = 0;
            long jitCount = 0; // puts of the trials that recorded JIT time (older results did not)
            long clientCpuMs = 0;
            long cpuCount = 0;
            final List<Double> perRound = new ArrayList<>();
            final List<String> loads = new ArrayList<>();
            for (final RunRecord.ClusterTrial t : trials) {
                if (t.result() == null) {
                    perRound.add(Double.NaN);
                    loads.add("failed");
                    continue;
                }
                final LoadResult r = t.result();
                merged.add(r.total().histogram());
                count += r.total().count();
                errors += r.total().errors();
                seconds += r.measuredSeconds();
                cpu += r.cpuBusyPercent();
                if (r.cpuMs() != null && r.cpuMs().containsKey("client") && r.cpuMs().size() > 1) {
                    clientCpuMs += r.cpuMs().get("client");
                    serverCpuMs += r.cpuMs().entrySet().stream().filter(x -> !x.getKey().equals("client"))
                        .mapToLong(Map.Entry::getValue).sum();
                    cpuCount += r.total().count();
                    final long jitMs = r.serverJitCpuMs();
                    if (jitMs >= 0) {
                        serverJitMs += jitMs;
                        jitCount += r.total().count();
                    }
                }
                perRound.add(r.total().opsPerSecond());
                loads.add(first(r.loadavgBefore()) + "→" + first(r.loadavgAfter()));
            }
            final int ok = (int) trials.stream().filter(t -> t.result() != null).count();
            final RunRecord.ClusterTrial any = trials.get(0);
            out.computeIfAbsent(system, k -> new ArrayList<>()).add(new ClusterPoint(system, any.clients(),
                any.conns(), seconds > 0 ? count / seconds : Double.NaN, LoadResult.Latency.of(merged), errors,
                ok > 0 ? cpu / ok : Double.NaN, cpuCount > 0 ? serverCpuMs / (double) cpuCount : Double.NaN,
                jitCount > 0 ? serverJitMs / (double) jitCount : Double.NaN,
                cpuCount > 0 ? clientCpuMs / (double) cpuCount : Double.NaN, perRound, loads));
        }));
        return out;
    }

    static Map<String, List<EnginePoint>> engine(final RunRecord record) {
        final Map<String, Map<Integer, List<EngineBenchmark.Trial>>> groups = new LinkedHashMap<>();
        for (final EngineBenchmark.Trial t : record.engine()) {
            groups.computeIfAbsent(t.system(), k -> new LinkedHashMap<>())
                .computeIfAbsent(t.writers(), k -> new ArrayList<>()).add(t);
        }
        final Map<String, List<EnginePoint>> out = new LinkedHashMap<>();
        groups.forEach((system, byWriters) -> byWriters.forEach((writers, trials) -> out
            .computeIfAbsent(system, k -> new ArrayList<>()).add(new EnginePoint(system, writers,
                trials.stream().mapToDouble(EngineBenchmark.Trial::opsPerSecond).average().orElse(Double.NaN),
                trials.stream().mapToDouble(EngineBenchmark.Trial::p50Ms).average().orElse(Double.NaN),
                trials.stream().mapToDouble(EngineBenchmark.Trial::p99Ms).average().orElse(Double.NaN),
                trials.stream().map(EngineBenchmark.Trial::opsPerSecond).toList(),
                trials.stream().map(t -> first(t.loadBefore()) + "→" + first(t.loadAfter())).toList()))));
        return out;
    }

    /** The point of {@code system} at {@code clients} clients, or null. */
    static ClusterPoint find(final Map<String, List<ClusterPoint>> points, final String system, final int clients) {
        return points.getOrDefault(system, List.of()).stream().filter(p -> p.clients() == clients).findFirst()
            .orElse(null);
    }

    static EnginePoint findEngine(final Map<String, List<EnginePoint>> points, final String system, final int writers) {
        return points.getOrDefault(system, List.of()).stream().filter(p -> p.writers() == writers).findFirst()
            .orElse(null);
    }

    /** The 1-minute figure of a load-average string. */
    static String first(final String loadavg) {
        return loadavg == null ? "?" : loadavg.split(" ")[0];
    }
}

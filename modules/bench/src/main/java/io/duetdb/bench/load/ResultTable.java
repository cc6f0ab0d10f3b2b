package io.duetdb.bench.load;

import java.util.Locale;
import java.util.Map;

/** The human-readable form of a result: a summary line and one row per request kind. */
public final class ResultTable {
    private ResultTable() {
    }

    public static String format(final LoadResult r) {
        final StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "duet-bench %s -> %s %s: %d clients over %d connections, %d B keys "
                + "(%s, %,d keys), %d B values%s; %.1f s measured after %.1f s warmup%n", r.workload(), r.target(),
            r.endpoints(), r.clients(), r.conns(), r.keySizeBytes(), r.sequentialKeys() ? "sequential" : "random",
            r.keySpace(), r.valSizeBytes(), r.rateLimitPerSecond() > 0
                ? String.format(Locale.ROOT, ", at most %.0f req/s", r.rateLimitPerSecond()) : "",
            r.measuredSeconds(), r.warmupMs() / 1000.0));
        b.append(String.format(Locale.ROOT, "%-8s %10s %8s %11s %9s %9s %9s %9s %9s %9s%n", "op", "ok", "errors",
            "ops/s", "mean ms", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"));
        for (final Map.Entry<String, LoadResult.OpSummary> e : r.byOp().entrySet()) {
            row(b, e.getKey(), e.getValue());
        }
        if (r.byOp().size() > 1) {
            row(b, "all", r.total());
        }
        if (r.workload().equals(Workload.TXN_CAS.label())) {
            b.append(String.format(Locale.ROOT, "compare-and-swap: %,d swapped, %,d found another value%n",
                r.casSwapped(), r.casFailed()));
        }
        if (!r.errorKinds().isEmpty()) {
            b.append("errors: ").append(r.errorKinds()).append('\n');
        }
        if (!r.drained()) {
            b.append("warning: requests were still in flight when the drain deadline passed\n");
        }
        b.append(String.format(Locale.ROOT, "load average %s -> %s; CPU %.0f%% busy, %.0f%% iowait (%d cores)%n",
            r.loadavgBefore(), r.loadavgAfter(), r.cpuBusyPercent(), r.cpuIowaitPercent(), r.cpus()));
        if (r.cpuMs() != null && r.total().count() > 0) {
            final StringBuilder cpu = new StringBuilder();
            r.cpuMs().forEach((who, ms) -> cpu.append(cpu.length() == 0 ? "" : ", ").append(who.equals("client")
                ? "client" : "pid " + who).append(String.format(Locale.ROOT, " %.3f", ms / (double) r.total().count())));
            b.append("CPU ms per request: ").append(cpu).append('\n');
            final long jitMs = r.serverJitCpuMs();
            if (jitMs > 0) {
                b.append(String.format(Locale.ROOT, "of which the servers' JIT compilers: %.3f%n",
                    jitMs / (double) r.total().count()));
            }
        }
        return b.toString();
    }

    private static void row(final StringBuilder b, final String op, final LoadResult.OpSummary s) {
        final LoadResult.Latency l = s.latencyMs();
        b.append(String.format(Locale.ROOT, "%-8s %,10d %,8d %,11.1f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n", op,
            s.count(), s.errors(), s.opsPerSecond(), l.mean(), l.p50(), l.p90(), l.p99(), l.p999(), l.max()));
    }
}

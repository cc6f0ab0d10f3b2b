package io.duetdb.bench.load;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The outcome of one run, as written with {@code --json} (field names are the JSON keys).
 * Latencies are in milliseconds; {@code opsPerSecond} counts successful requests only.
 *
 * @param byOp       one summary per request kind that ran ("put", "range", "txn-cas")
 * @param errorKinds failed requests by exception class and gRPC status code
 * @param drained    false if requests were still in flight when the drain deadline passed
 * @param cpuMs      CPU time used in the measured window: "client" (the generator's process) and
 *                   each process given with {@code --cpu-pids}, by pid
 * @param jitCpuMs   the part of each {@code --cpu-pids} process's CPU time its JIT compiler threads
 *                   used, by pid (a lower bound; absent in results written before it existed)
 */
public record LoadResult(String tool, String workload, String target, List<String> endpoints, int clients,
                         int conns, int keySizeBytes, int valSizeBytes, long keySpace, boolean sequentialKeys,
                         double rateLimitPerSecond, String readConsistency, double readFraction, long warmupMs,
                         double measuredSeconds, String finishedAt, String loadavgBefore, String loadavgAfter,
                         double cpuBusyPercent, double cpuIowaitPercent, int cpus, String javaVersion,
                         boolean drained, OpSummary total, Map<String, OpSummary> byOp,
                         Map<String, Long> errorKinds, long casSwapped, long casFailed,
                         Map<String, Long> cpuMs, Map<String, Long> jitCpuMs) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
        .create();

    /**
     * Successful requests of one kind (or all), and their latency.
     *
     * @param histogramUs the latency histogram in microseconds, HdrHistogram's compressed encoding in
     *                    base64, so that runs can be merged exactly (percentiles cannot be averaged)
     */
    public record OpSummary(long count, long errors, double opsPerSecond, Latency latencyMs, String histogramUs) {
        /** The latency histogram in microseconds (empty if the result carries none). */
        public Histogram histogram() {
            if (histogramUs == null || histogramUs.isEmpty()) {
                return new Histogram(3);
            }
            try {
                return Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(histogramUs)), 0);
            } catch (final DataFormatException e) {
                throw new IllegalArgumentException("corrupt histogram in a result", e);
            }
        }

        public static OpSummary of(final long count, final long errors, final double seconds, final Histogram us) {
            final ByteBuffer buf = ByteBuffer.allocate(us.getNeededByteBufferCapacity());
            final int length = us.encodeIntoCompressedByteBuffer(buf);
            final byte[] bytes = Arrays.copyOf(buf.array(), length);
            return new OpSummary(count, errors, count / seconds, Latency.of(us),
                Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** Latency percentiles in milliseconds (HdrHistogram, 3 significant digits, recorded in microseconds). */
    public record Latency(double min, double mean, double p50, double p90, double p99, double p999, double max,
                          double stddev) {
        public static Latency of(final Histogram us) {
            if (us.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(us.getMinValue() / 1e3, us.getMean() / 1e3, us.getValueAtPercentile(50) / 1e3,
                us.getValueAtPercentile(90) / 1e3, us.getValueAtPercentile(99) / 1e3,
                us.getValueAtPercentile(99.9) / 1e3, us.getMaxValue() / 1e3, us.getStdDeviation() / 1e3);
        }
    }

    static LoadResult of(final LoadSpec spec, final double measuredSeconds, final Map<OpType, Recorder> latencyUs,
                         final Map<OpType, LongAdder> countByOp, final Map<OpType, LongAdder> errorsByOp,
                         final Map<String, Long> errorKinds, final long casSwapped, final long casFailed,
                         final String loadBefore, final String loadAfter, final double cpuBusyPercent,
                         final double cpuIowaitPercent, final boolean drained, final Map<String, Long> cpuMs,
                         final Map<String, Long> jitCpuMs) {
        final Map<String, OpSummary> byOp = new LinkedHashMap<>();
        final Histogram all = new Histogram(3);
        long errors = 0;
        for (final OpType t : OpType.values()) {
            final Histogram h = latencyUs.get(t).getIntervalHistogram();
            final long count = countByOp.get(t).sum();
            final long failed = errorsByOp.get(t).sum();
            if (count + failed == 0) {
                continue;
            }
            all.add(h);
            errors += failed;
            byOp.put(t.label(), OpSummary.of(count, failed, measuredSeconds, h));
        }
        final OpSummary total = OpSummary.of(all.getTotalCount(), errors, measuredSeconds, all);
        final boolean reads = spec.workload() == Workload.RANGE || spec.workload() == Workload.MIXED;
        return new LoadResult("duet-bench", spec.workload().label(), spec.target().label(), spec.endpoints(),
            spec.clients(), spec.conns(), spec.keySizeBytes(), spec.valSizeBytes(), spec.keySpace(),
            spec.sequentialKeys(), spec.ratePerSecond(), reads ? (spec.serializableReads() ? "s" : "l") : null,
            spec.workload() == Workload.MIXED ? spec.readFraction() : 0, spec.warmupMs(), measuredSeconds,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), loadBefore, loadAfter, cpuBusyPercent,
            cpuIowaitPercent, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), drained,
            total, byOp, errorKinds, casSwapped, casFailed, cpuMs, jitCpuMs);
    }

    /** CPU ms per successful request of the given processes' pids (or "client"); NaN if unknown. */
    public double cpuMsPerRequest(final java.util.Collection<String> keys) {
        if (cpuMs == null || total.count() == 0 || !cpuMs.keySet().containsAll(keys) || keys.isEmpty()) {
            return Double.NaN;
        }
        return keys.stream().mapToLong(cpuMs::get).sum() / (double) total.count();
    }

    /** CPU ms the servers' JIT compilers used in all (see {@code jitCpuMs}); -1 if the result does not say. */
    public long serverJitCpuMs() {
        return jitCpuMs == null ? -1 : jitCpuMs.values().stream().mapToLong(Long::longValue).sum();
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static LoadResult fromJson(final String json) {
        final LoadResult r = GSON.fromJson(json, LoadResult.class);
        if (r == null || r.total() == null || r.byOp() == null) {
            throw new IllegalArgumentException("not a duet-bench result: " + json.substring(0, Math.min(80,
                json.length())));
        }
        return r;
    }
}

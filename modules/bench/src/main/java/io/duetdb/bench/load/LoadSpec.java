package io.duetdb.bench.load;

import java.util.List;

/**
 * One run of the generator, validated. Exactly one of {@code total} (measured requests) and
 * {@code durationMs} (measured time) is positive. {@code clients} closed-loop clients (each keeps
 * one request in flight) share {@code conns} connections round-robin, as in etcd's benchmark tool.
 *
 * @param keySpace         keys are {@code 0 .. keySpace-1}, zero-padded decimal, {@code keySizeBytes} long
 * @param ratePerSecond    0: as fast as the clients go; else a cap on requests started per second
 * @param readFraction     mixed workload only: the share of reads
 * @param requestTimeoutMs deadline of each request (a request past it counts as an error)
 */
public record LoadSpec(Workload workload, Target target, List<String> endpoints, int clients, int conns,
                       long total, long durationMs, long warmupMs, int keySizeBytes, int valSizeBytes,
                       long keySpace, boolean sequentialKeys, double ratePerSecond, boolean serializableReads,
                       double readFraction, long requestTimeoutMs) {
    /** Bounds that keep a run on one machine sane; far above anything this tool is used with. */
    public static final int MAX_CLIENTS = 10_000;
    public static final int MAX_CONNS = 1_000;
    public static final int MAX_KEY_BYTES = 4096;
    public static final int MAX_VALUE_BYTES = 1 << 20;

    public LoadSpec {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("--endpoints: at least one host:port");
        }
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new IllegalArgumentException("--clients must be 1.." + MAX_CLIENTS + ", not " + clients);
        }
        if (conns < 1 || conns > MAX_CONNS || conns > clients) {
            throw new IllegalArgumentException("--conns must be 1.." + Math.min(MAX_CONNS, clients)
                + " (at most --clients), not " + conns);
        }
        if ((total > 0) == (durationMs > 0) || total < 0 || durationMs < 0) {
            throw new IllegalArgumentException("give exactly one of --total (requests) and --duration (time)");
        }
        if (warmupMs < 0 || requestTimeoutMs <= 0) {
            throw new IllegalArgumentException("--warmup must be >= 0 and --timeout > 0");
        }
        if (keySpace < 1) {
            throw new IllegalArgumentException("--key-space must be >= 1, not " + keySpace);
        }
        if (keySizeBytes < Keys.digits(keySpace - 1) || keySizeBytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("--key-size must be " + Keys.digits(keySpace - 1) + ".." + MAX_KEY_BYTES
                + " bytes to hold " + keySpace + " distinct keys, not " + keySizeBytes);
        }
        if (valSizeBytes < (workload == Workload.TXN_CAS ? 1 : 0) || valSizeBytes > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("--val-size must be " + (workload == Workload.TXN_CAS ? 1 : 0) + ".."
                + MAX_VALUE_BYTES + " bytes, not " + valSizeBytes);
        }
        if (ratePerSecond < 0 || Double.isNaN(ratePerSecond)) {
            throw new IllegalArgumentException("--rate must be >= 0 (0: unlimited), not " + ratePerSecond);
        }
        if (!(readFraction >= 0 && readFraction <= 1)) {
            throw new IllegalArgumentException("--read-fraction must be 0..1, not " + readFraction);
        }
    }

    public boolean durationMode() {
        return durationMs > 0;
    }
}

package io.duetdb.bench.load;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The closed-loop engine: each client keeps exactly one request in flight and sends its next one
 * from the completion of the last (no thread per client, so 256 clients cost no 256 threads on a
 * 2-core machine). In duration mode a request counts when it completes inside the measured window
 * (after the warmup); in total mode the first {@code total} requests started after the warmup
 * count. Latencies go to one HdrHistogram per request kind, in microseconds.
 */
final class LoadGenerator {
    /** Requests one client sends inline after synchronous completions before yielding its thread. */
    private static final int MAX_INLINE_SENDS = 64;
    /** How long after the measured window in-flight requests may take to drain, beyond their deadline. */
    private static final long DRAIN_SLACK_MS = 5_000;
    /** The longest a --total run may take: a bound, not an expectation. */
    private static final long MAX_TOTAL_RUN_MS = TimeUnit.HOURS.toMillis(6);

    private final LoadSpec spec;
    private final List<KvDriver.Connection> conns;
    private final Keys keys;
    private final byte[] value;
    private final Map<OpType, Recorder> latencyUs = new EnumMap<>(OpType.class);
    private final Map<OpType, LongAdder> countByOp = new EnumMap<>(OpType.class);
    private final Map<OpType, LongAdder> errorsByOp = new EnumMap<>(OpType.class);
    private final ErrorKinds errorKinds = new ErrorKinds();
    private final LongAdder casSwapped = new LongAdder();
    private final LongAdder casFailed = new LongAdder();
    private final AtomicLong measuredPermits = new AtomicLong();
    private final AtomicLong lastMeasuredCompletionNs = new AtomicLong();
    private final AtomicLong nextSlotNs = new AtomicLong();
    private final long slotIntervalNs;
    /** Paces rate-limited sends and takes over clients that completed many sends inline. */
    private final ScheduledThreadPoolExecutor scheduler;
    private final CountDownLatch finished;
    private volatile boolean stopped;
    private long warmupEndNs;
    private long measureEndNs;

    private final List<Long> cpuPids;

    /** {@code cpuPids}: processes (the servers) whose CPU time in the measured window is reported. */
    LoadGenerator(final LoadSpec spec, final List<KvDriver.Connection> conns, final List<Long> cpuPids) {
        this.spec = spec;
        this.cpuPids = List.copyOf(cpuPids);
        this.conns = List.copyOf(conns);
        this.keys = new Keys(spec.keySizeBytes(), spec.keySpace(), spec.sequentialKeys());
        this.value = new byte[spec.valSizeBytes()];
        ThreadLocalRandom.current().nextBytes(value); // one random value for the run, like etcd's tool
        for (final OpType t : OpType.values()) {
            latencyUs.put(t, new Recorder(3));
            countByOp.put(t, new LongAdder());
            errorsByOp.put(t, new LongAdder());
        }
        this.slotIntervalNs = spec.ratePerSecond() > 0 ? Math.max(1, (long) (1e9 / spec.ratePerSecond())) : 0;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            final Thread t = new Thread(r, "duet-bench-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.finished = new CountDownLatch(spec.clients());
    }

    /** Runs the load; returns when every client stopped (or the drain deadline passed). */
    LoadResult run(final Progress progress) throws InterruptedException {
        final String loadBefore = HostProbe.loadAverage();
        final long startNs = System.nanoTime();
        warmupEndNs = startNs + TimeUnit.MILLISECONDS.toNanos(spec.warmupMs());
        measureEndNs = spec.durationMode() ? warmupEndNs + TimeUnit.MILLISECONDS.toNanos(spec.durationMs())
            : Long.MAX_VALUE;
        nextSlotNs.set(startNs);
        final List<Client> clients = new ArrayList<>();
        for (int i = 0; i < spec.clients(); i++) {
            clients.add(new Client(i, conns.get(i % conns.size())));
        }
        progress.start(this::measuredCount, this::errorCount, warmupEndNs, spec);
        try {
            for (final Client c : clients) {
                c.next();
            }
            // Waiting here is the measured interval itself: the clients run on their own.
            finished.await(Math.max(0, warmupEndNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            final HostProbe.CpuTimes cpuStart = HostProbe.cpuTimes();
            final long[] processCpuStartMs = processCpuMs();
            final long[] jitCpuStartMs = jitCpuMs();
            if (spec.durationMode()) {
                finished.await(Math.max(0, measureEndNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            } else {
                finished.await(MAX_TOTAL_RUN_MS, TimeUnit.MILLISECONDS);
            }
            final HostProbe.CpuTimes cpuEnd = HostProbe.cpuTimes();
            final long[] processCpuEndMs = processCpuMs();
            final long[] jitCpuEndMs = jitCpuMs();
            stopped = true;
            final boolean drained = finished.await(spec.requestTimeoutMs() + DRAIN_SLACK_MS, TimeUnit.MILLISECONDS);
            final long endNs = spec.durationMode() ? measureEndNs
                : Math.max(lastMeasuredCompletionNs.get(), warmupEndNs + 1);
            return LoadResult.of(spec, (endNs - warmupEndNs) / 1e9, latencyUs, countByOp, errorsByOp,
                errorKinds.snapshot(), casSwapped.sum(), casFailed.sum(), loadBefore, HostProbe.loadAverage(),
                cpuStart.busySince(cpuEnd), cpuStart.iowaitSince(cpuEnd), drained,
                processCpuDeltas(processCpuStartMs, processCpuEndMs), jitCpuDeltas(jitCpuStartMs, jitCpuEndMs));
        } finally {
            stopped = true;
            progress.stop();
            scheduler.shutdownNow();
        }
    }

    /** CPU ms so far of this process (index 0) and of each of {@code cpuPids}. */
    private long[] processCpuMs() {
        final long[] out = new long[cpuPids.size() + 1];
        out[0] = HostProbe.processCpuMs(ProcessHandle.current().pid());
        for (int i = 0; i < cpuPids.size(); i++) {
            out[i + 1] = HostProbe.processCpuMs(cpuPids.get(i));
        }
        return out;
    }

    /** CPU ms so far of the JIT compiler threads of each of {@code cpuPids} (see HostProbe.jitCpuMs). */
    private long[] jitCpuMs() {
        return cpuPids.stream().mapToLong(HostProbe::jitCpuMs).toArray();
    }

    /** "client" (this process) and each pid: CPU ms used between the two samples (absent if unknown). */
    private Map<String, Long> processCpuDeltas(final long[] startMs, final long[] endMs) {
        final List<String> keys = new ArrayList<>(List.of("client"));
        cpuPids.forEach(pid -> keys.add(String.valueOf(pid)));
        return deltas(keys, startMs, endMs);
    }

    /** Each of {@code cpuPids}: its compiler threads' CPU ms between the two samples (absent if unknown). */
    private Map<String, Long> jitCpuDeltas(final long[] startMs, final long[] endMs) {
        return deltas(cpuPids.stream().map(String::valueOf).toList(), startMs, endMs);
    }

    /**
     * {@code keys[i]} → end − start, for the samples known at both ends (-1 is unknown). A JVM's
     * compiler threads can exit between the samples and take their time along: never below 0.
     */
    private static Map<String, Long> deltas(final List<String> keys, final long[] startMs, final long[] endMs) {
        final Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < startMs.length; i++) {
            if (startMs[i] >= 0 && endMs[i] >= 0) {
                out.put(keys.get(i), Math.max(0, endMs[i] - startMs[i]));
            }
        }
        return out;
    }

    private long measuredCount() {
        long n = 0;
        for (final LongAdder a : countByOp.values()) {
            n += a.sum();
        }
        return n;
    }

    private long errorCount() {
        long n = 0;
        for (final LongAdder a : errorsByOp.values()) {
            n += a.sum();
        }
        return n;
    }

    /** 0: stop; 1: a warmup request; 2: a request counted by the total. */
    private int permit(final long nowNs) {
        if (stopped) {
            return 0;
        }
        if (spec.durationMode()) {
            if (nowNs - measureEndNs >= 0) {
                stopped = true;
                return 0;
            }
            return 1;
        }
        if (nowNs - warmupEndNs < 0) {
            return 1;
        }
        if (measuredPermits.incrementAndGet() > spec.total()) {
            stopped = true;
            return 0;
        }
        return 2;
    }

    /** The time this request may start at: now, or the next free slot under {@code --rate}. */
    private long reserveSlot(final long nowNs) {
        final long previous = nextSlotNs.getAndUpdate(s -> Math.max(s, nowNs) + slotIntervalNs);
        return Math.max(previous, nowNs);
    }

    private final class Client {
        private final int index;
        private final KvDriver.Connection conn;
        private final byte[] casKey;
        private byte[] casSeen;
        private byte[] casOffered;
        private long casCounter;

        Client(final int index, final KvDriver.Connection conn) {
            this.index = index;
            this.conn = conn;
            this.casKey = keys.encode(index);
        }

        /** Sends requests until one is in flight, this client is paced, or the run stops. */
        void next() {
            for (int sent = 0; sent < MAX_INLINE_SENDS; sent++) {
                final long now = System.nanoTime();
                final int permit = permit(now);
                if (permit == 0) {
                    finished.countDown();
                    return;
                }
                if (slotIntervalNs > 0) {
                    final long slot = reserveSlot(now);
                    if (slot - now > 0) {
                        scheduler.schedule(() -> send(permit == 2, true), slot - now, TimeUnit.NANOSECONDS);
                        return;
                    }
                }
                if (!send(permit == 2, false)) {
                    return;
                }
            }
            scheduler.execute(this::next); // many synchronous completions in a row: let others run
        }

        /** Sends one request; true when it already completed (then the caller sends the next). */
        private boolean send(final boolean counted, final boolean continueWhenDone) {
            final OpType type = chooseOp();
            final long startNs = System.nanoTime();
            CompletableFuture<?> call;
            try {
                call = issue(type);
            } catch (final RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            if (call.isDone() && !continueWhenDone) {
                complete(type, startNs, counted, call);
                return true;
            }
            final CompletableFuture<?> inFlight = call;
            inFlight.whenComplete((r, e) -> {
                complete(type, startNs, counted, inFlight);
                next();
            });
            return false;
        }

        private OpType chooseOp() {
            return switch (spec.workload()) {
                case PUT -> OpType.PUT;
                case RANGE -> OpType.RANGE;
                case TXN_CAS -> OpType.TXN_CAS;
                case MIXED -> ThreadLocalRandom.current().nextDouble() < spec.readFraction() ? OpType.RANGE : OpType.PUT;
            };
        }

        private CompletableFuture<?> issue(final OpType type) {
            return switch (type) {
                case PUT -> conn.put(keys.next(), value);
                case RANGE -> conn.range(keys.next(), spec.serializableReads());
                case TXN_CAS -> {
                    casOffered = casValue(++casCounter);
                    yield conn.compareAndSwap(casKey, casSeen, casOffered);
                }
            };
        }

        /** A value unique to this client's step, {@code --val-size} bytes. */
        private byte[] casValue(final long step) {
            final byte[] v = value.clone();
            long rest = step * LoadSpec.MAX_CLIENTS + index;
            for (int i = v.length - 1; i >= 0 && rest > 0; i--) {
                v[i] = (byte) ('0' + rest % 10);
                rest /= 10;
            }
            return v;
        }

        private void complete(final OpType type, final long startNs, final boolean counted,
                              final CompletableFuture<?> call) {
            final long endNs = System.nanoTime();
            final boolean measured = spec.durationMode()
                ? endNs - warmupEndNs >= 0 && endNs - measureEndNs <= 0 : counted;
            final Object result;
            try {
                result = call.join();
            } catch (final CompletionException | java.util.concurrent.CancellationException e) {
                if (type == OpType.TXN_CAS) {
                    casSeen = null; // unknown now: the next compare fails and reads the current value
                }
                if (measured) {
                    errorsByOp.get(type).increment();
                    errorKinds.add(e.getCause() == null ? e : e.getCause());
                }
                return;
            }
            if (type == OpType.TXN_CAS) {
                final KvDriver.CasOutcome cas = (KvDriver.CasOutcome) result;
                casSeen = cas.swapped() ? casOffered : cas.current();
                if (measured) {
                    (cas.swapped() ? casSwapped : casFailed).increment();
                }
            }
            if (measured) {
                latencyUs.get(type).recordValue(Math.max(1, (endNs - startNs) / 1_000));
                countByOp.get(type).increment();
                lastMeasuredCompletionNs.accumulateAndGet(endNs, Math::max);
            }
        }
    }
}

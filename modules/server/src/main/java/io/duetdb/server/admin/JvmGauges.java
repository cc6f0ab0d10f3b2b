package io.duetdb.server.admin;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.CachedThreadStatesGaugeSet;
import com.codahale.metrics.jvm.FileDescriptorRatioGauge;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's own gauges (Dropwizard's metrics-jvm): heap and non-heap memory per pool, GC counts
 * and times per collector, thread counts per state, and the share of file descriptors in use.
 * Exposed as {@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code jvm_fd_usage}.
 */
public final class JvmGauges {
    /** Thread states come from a full thread dump: read it at most this often. */
    private static final long THREAD_STATES_CACHE_SECONDS = 10;

    private JvmGauges() {
    }

    public static void register(final MetricRegistry registry) {
        registry.register("jvm.memory", new MemoryUsageGaugeSet());
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        registry.register("jvm.threads", new CachedThreadStatesGaugeSet(THREAD_STATES_CACHE_SECONDS, TimeUnit.SECONDS));
        registry.register("jvm.fd_usage", new FileDescriptorRatioGauge());
    }
}

package io.duetdb.server.admin;

import static io.duetdb.server.admin.DuetMetricNames.WAL_BACKPRESSURE;
import static io.duetdb.server.admin.DuetMetricNames.WAL_BYTES;
import static io.duetdb.server.admin.DuetMetricNames.WAL_DISK_BYTES;
import static io.duetdb.server.admin.DuetMetricNames.WAL_FAILED;
import static io.duetdb.server.admin.DuetMetricNames.WAL_QUEUED_BYTES;
import static io.duetdb.server.admin.DuetMetricNames.WAL_RECORDS;
import static io.duetdb.server.admin.DuetMetricNames.WAL_SEGMENTS;
import static io.duetdb.server.admin.DuetMetricNames.WAL_SYNCS;
import static io.duetdb.server.admin.DuetMetricNames.WAL_SYNC_AVERAGE;
import static io.duetdb.server.admin.DuetMetricNames.WAL_SYNC_LATENCY;
import static io.duetdb.server.admin.DuetMetricNames.WAL_SYNC_SECONDS;
import static io.duetdb.server.admin.DuetMetricNames.WAL_WRITES;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.duetdb.storage.StoreOptions;
import io.duetdb.storage.wal.SyncListener;
import io.duetdb.storage.wal.WalKind;
import io.duetdb.storage.wal.WalStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Gauges over the two logs' {@link WalStats}, one series per log ({@code log="intent"} and
 * {@code log="completion"}), read when scraped. Before the storage is open (or after it closed)
 * the stats list is empty and the gauges return null, which the exposition leaves out.
 *
 * <p>fsync latency: the storage keeps the number of syncs and their total duration (exposed as
 * counters: {@code rate(sum)/rate(count)} is the mean over any window, and as a lifetime mean), and
 * tells a {@link SyncListener} each sync's duration; {@link #withSyncLatency} hangs a timer per log
 * there, exposed as a summary with quantiles.
 */
public final class WalGauges {
    private static final double NANOS_PER_SECOND = 1e9;

    private WalGauges() {
    }

    /** Registers the gauges of every {@link WalKind}; {@code stats} is e.g. {@code stateMachine::walStats}. */
    public static void register(final MetricRegistry registry, final Supplier<List<WalStats>> stats) {
        for (final WalKind kind : WalKind.values()) {
            final String log = kind.dirName();
            counter(registry, WAL_RECORDS, log, stats, WalStats::appendedRecords);
            counter(registry, WAL_BYTES, log, stats, WalStats::appendedBytes);
            counter(registry, WAL_WRITES, log, stats, WalStats::writes);
            counter(registry, WAL_SYNCS, log, stats, WalStats::syncs);
            counter(registry, WAL_BACKPRESSURE, log, stats, WalStats::backpressureWaits);
            counter(registry, WAL_SYNC_SECONDS, log, stats, s -> s.syncNanosTotal() / NANOS_PER_SECOND);
            gauge(registry, WAL_SYNC_AVERAGE, log, stats,
                s -> s.syncs() == 0 ? 0.0 : s.syncNanosTotal() / NANOS_PER_SECOND / s.syncs());
            gauge(registry, WAL_QUEUED_BYTES, log, stats, WalStats::queuedBytes);
            gauge(registry, WAL_SEGMENTS, log, stats, WalStats::segments);
            gauge(registry, WAL_DISK_BYTES, log, stats, WalStats::diskBytes);
            gauge(registry, WAL_FAILED, log, stats, s -> s.failed() ? 1 : 0);
        }
    }

    /** The same options with each log's sync listener feeding a {@code duet_wal_sync_latency_seconds} timer. */
    public static StoreOptions withSyncLatency(final StoreOptions options, final MetricRegistry registry) {
        return options
            .withIntentWal(options.intentWal().withSyncListener(syncTimer(registry, WalKind.INTENT)))
            .withCompletionWal(options.completionWal().withSyncListener(syncTimer(registry, WalKind.COMPLETION)));
    }

    private static SyncListener syncTimer(final MetricRegistry registry, final WalKind kind) {
        final Timer timer = Summaries.timer(registry, MetricName.of(WAL_SYNC_LATENCY, "log", kind.dirName()));
        return nanos -> timer.update(nanos, TimeUnit.NANOSECONDS);
    }

    private static void counter(final MetricRegistry registry, final String family, final String log,
                                final Supplier<List<WalStats>> stats, final Function<WalStats, Number> read) {
        registry.register(MetricName.of(family, "log", log), (FunctionCounter) () -> read(stats, log, read));
    }

    private static void gauge(final MetricRegistry registry, final String family, final String log,
                              final Supplier<List<WalStats>> stats, final Function<WalStats, Number> read) {
        registry.register(MetricName.of(family, "log", log), (Gauge<Number>) () -> read(stats, log, read));
    }

    private static Number read(final Supplier<List<WalStats>> stats, final String log,
                               final Function<WalStats, Number> read) {
        for (final WalStats s : stats.get()) {
            if (s.log().equals(log)) {
                return read.apply(s);
            }
        }
        return null;
    }
}

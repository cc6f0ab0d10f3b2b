package io.duetdb.server.admin;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.concurrent.atomic.LongAdder;

/**
 * Histograms and timers that also keep the sum of everything they observed. Dropwizard's own keep
 * only a count and a sampling reservoir, but a Prometheus summary's {@code _sum} must be a total
 * that never goes down: with it, {@code rate(x_sum) / rate(x_count)} is the mean over any window.
 * The exposition writes {@code _sum} only for these.
 */
public final class Summaries {
    private Summaries() {
    }

    /** A histogram that keeps its sum; what is registered there already is returned as is. */
    public static Histogram histogram(final MetricRegistry registry, final String name) {
        return registry.histogram(name, SummingHistogram::new);
    }

    /** A timer that keeps its sum (in nanoseconds); what is registered there already is returned as is. */
    public static Timer timer(final MetricRegistry registry, final String name) {
        return registry.timer(name, SummingTimer::new);
    }

    /** A histogram over a lock-free decaying reservoir (about the last five minutes) plus a sum. */
    public static final class SummingHistogram extends Histogram {
        private final LongAdder sum = new LongAdder();

        public SummingHistogram() {
            super(LockFreeExponentiallyDecayingReservoir.builder().build());
        }

        @Override
        public void update(final long value) {
            super.update(value);
            sum.add(value);
        }

        // Histogram.update(int) delegates to update(long), so the sum sees both.

        /** The sum of every observed value. */
        public long sum() {
            return sum.sum();
        }
    }

    /**
     * A timer whose durations go through a {@link SummingHistogram}: every way of timing (a
     * context, a callable, {@code update}) ends in that histogram's {@code update(long)}.
     */
    public static final class SummingTimer extends Timer {
        private final SummingHistogram histogram;

        public SummingTimer() {
            this(new SummingHistogram());
        }

        private SummingTimer(final SummingHistogram histogram) {
            super(new Meter(), histogram, Clock.defaultClock());
            this.histogram = histogram;
        }

        /** The sum of every recorded duration, in nanoseconds. */
        public long sumNanos() {
            return histogram.sum();
        }
    }
}

package io.duetdb.server.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * How Dropwizard's metric kinds become Prometheus families. Shared by the Duet registry and the
 * Ratis registries (which use a shaded copy of Dropwizard, hence plain values here, not classes).
 *
 * <ul>
 *   <li>Counter: a {@code counter} when its name ends in {@code _total}, else a {@code gauge}, since a
 *       Dropwizard counter may also go down.
 *   <li>Gauge: a {@code gauge} when its value is a number (a boolean is 1 or 0); a gauge registered
 *       as a {@link FunctionCounter} is a {@code counter}. Other values are left out.
 *   <li>Meter: {@code <base>_total} (counter) and {@code <base>_rate_per_second{window=...}} (gauge:
 *       1m, 5m, 15m exponentially weighted, and the mean since start), base = the name less {@code _total}.
 *   <li>Histogram: a {@code summary} with quantiles 0.5, 0.9, 0.99, 0.999 of Dropwizard's reservoir
 *       (about the last five minutes, not all time), {@code _count}, and {@code _sum} when the
 *       histogram keeps one ({@link Summaries}): a sum estimated from the reservoir would go down
 *       as well as up, which {@code rate()} would take for counter resets.
 *   <li>Timer: the same, in seconds, named with a {@code _seconds} suffix if it has none.
 * </ul>
 */
final class FamilyMapping {
    static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    private static final double NANOS_PER_SECOND = 1e9;

    private FamilyMapping() {
    }

    static void counter(final MetricFamilies out, final String family, final List<MetricName.Label> labels,
                        final String help, final long count) {
        if (family.endsWith("_total")) {
            out.counter(family, help, labels, count);
        } else {
            out.gauge(family, help, labels, count);
        }
    }

    /** A gauge's value, if it is numeric. */
    static void gauge(final MetricFamilies out, final String family, final List<MetricName.Label> labels,
                      final String help, final Object value, final boolean monotonic) {
        final double v;
        if (value instanceof Number n) {
            v = n.doubleValue();
        } else if (value instanceof Boolean b) {
            v = b ? 1 : 0;
        } else {
            return;
        }
        if (monotonic) {
            out.counter(family, help, labels, v);
        } else {
            out.gauge(family, help, labels, v);
        }
    }

    static void meter(final MetricFamilies out, final String family, final List<MetricName.Label> labels,
                      final String help, final long count, final double m1, final double m5, final double m15,
                      final double mean) {
        final String base = family.endsWith("_total") ? family.substring(0, family.length() - 6) : family;
        out.counter(base + "_total", help, labels, count);
        final String rates = base + "_rate_per_second";
        final String rateHelp = help + " (events per second)";
        out.gauge(rates, rateHelp, with(labels, "window", "1m"), m1);
        out.gauge(rates, rateHelp, with(labels, "window", "5m"), m5);
        out.gauge(rates, rateHelp, with(labels, "window", "15m"), m15);
        out.gauge(rates, rateHelp, with(labels, "window", "mean"), mean);
    }

    /**
     * A histogram or timer.
     *
     * @param rawQuantiles the snapshot's values at {@link #QUANTILES}, in the metric's own unit
     *     (nanoseconds for timers)
     * @param rawSum the sum of all observations in that unit, or null if the metric does not keep one
     */
    static void summary(final MetricFamilies out, final String family, final List<MetricName.Label> labels,
                        final String help, final boolean timer, final long count, final double[] rawQuantiles,
                        final Double rawSum) {
        final double scale = timer ? NANOS_PER_SECOND : 1;
        final double[] values = new double[rawQuantiles.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = rawQuantiles[i] / scale;
        }
        final Double sum = rawSum == null ? null : rawSum / scale;
        final String name = timer && !family.endsWith("_seconds") ? family + "_seconds" : family;
        out.summary(name, help, labels, new MetricFamilies.SummaryValues(QUANTILES, values, count, sum));
    }

    static List<MetricName.Label> with(final List<MetricName.Label> labels, final String name, final String value) {
        final List<MetricName.Label> all = new ArrayList<>(labels.size() + 1);
        all.addAll(labels);
        all.add(new MetricName.Label(name, value));
        return all;
    }
}

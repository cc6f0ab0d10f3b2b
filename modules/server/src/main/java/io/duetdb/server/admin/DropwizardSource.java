package io.duetdb.server.admin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of a Dropwizard registry, mapped as {@link FamilyMapping} describes. Registry names
 * may carry labels ({@link MetricName}). A gauge that throws or returns null is left out of this
 * scrape (a gauge may read a component that is not open yet), and so is a gauge that is not numeric.
 */
public final class DropwizardSource implements MetricsSource {
    private static final Logger LOG = LoggerFactory.getLogger(DropwizardSource.class);

    private final MetricRegistry registry;
    private final Function<String, String> help;

    /**
     * @param help the HELP text of a family (by its sanitised name), or null for a generic one
     */
    public DropwizardSource(final MetricRegistry registry, final Function<String, String> help) {
        this.registry = registry;
        this.help = help;
    }

    /** With the HELP texts of {@link DuetMetricNames}. */
    public DropwizardSource(final MetricRegistry registry) {
        this(registry, DuetMetricNames::help);
    }

    @Override
    public void collect(final MetricFamilies out) {
        // getMetrics() is a copy: a metric registered meanwhile waits for the next scrape.
        for (final Map.Entry<String, Metric> e : new TreeMap<>(registry.getMetrics()).entrySet()) {
            final MetricName.Parsed name = MetricName.parse(e.getKey());
            try {
                add(out, name, e.getValue());
            } catch (final RuntimeException ex) {
                LOG.debug("metric {} left out of this scrape: {}", e.getKey(), ex.toString());
            }
        }
    }

    private void add(final MetricFamilies out, final MetricName.Parsed name, final Metric metric) {
        final String family = name.family();
        final String text = helpFor(family, metric);
        if (metric instanceof Counter c) {
            FamilyMapping.counter(out, family, name.labels(), text, c.getCount());
        } else if (metric instanceof Gauge<?> g) {
            FamilyMapping.gauge(out, family, name.labels(), text, g.getValue(), metric instanceof FunctionCounter);
        } else if (metric instanceof Timer t) {
            final Double sum = t instanceof Summaries.SummingTimer s ? (double) s.sumNanos() : null;
            FamilyMapping.summary(out, family, name.labels(), text, true, t.getCount(), quantiles(t.getSnapshot()),
                sum);
        } else if (metric instanceof Histogram h) {
            final Double sum = h instanceof Summaries.SummingHistogram s ? (double) s.sum() : null;
            FamilyMapping.summary(out, family, name.labels(), text, false, h.getCount(),
                quantiles(h.getSnapshot()), sum);
        } else if (metric instanceof Meter m) {
            FamilyMapping.meter(out, family, name.labels(), text, m.getCount(), m.getOneMinuteRate(),
                m.getFiveMinuteRate(), m.getFifteenMinuteRate(), m.getMeanRate());
        }
    }

    private String helpFor(final String family, final Metric metric) {
        final String known = help.apply(family);
        if (known != null) {
            return known;
        }
        final String kind = metric instanceof Counter ? "counter" : metric instanceof Gauge ? "gauge"
            : metric instanceof Timer ? "timer" : metric instanceof Histogram ? "histogram" : "meter";
        return "Dropwizard " + kind + " " + family;
    }

    private static double[] quantiles(final Snapshot s) {
        final double[] v = new double[FamilyMapping.QUANTILES.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = s.getValue(FamilyMapping.QUANTILES[i]);
        }
        return v;
    }
}

package io.duetdb.server.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The families of one scrape, gathered from every source before anything is written, because the
 * text format wants each family's lines together and one TYPE per name, while Dropwizard scatters a
 * family over many registry names (one per label set) and two sources may name alike.
 *
 * <p>Order is deterministic: families by name, series by their label spelling. On a clash the first
 * comer wins and the later sample is dropped (counted in {@link #dropped()}): a family added with a
 * different type, a series added twice, or a name that collides with another family's
 * {@code _sum}/{@code _count} lines.
 */
public final class MetricFamilies {
    /** Prometheus metric types this exposition writes. */
    public enum Type {
        COUNTER("counter"), GAUGE("gauge"), SUMMARY("summary");

        private final String text;

        Type(final String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One line's worth: name suffix (e.g. {@code _sum}), the quantile or null, and the value. */
    public record Sample(String suffix, String quantile, double value) {
    }

    /** The samples of one label set, in writing order. */
    public record Series(List<MetricName.Label> labels, List<Sample> samples) {
        public Series {
            labels = List.copyOf(labels);
            samples = List.copyOf(samples);
        }
    }

    /** A family: name, type, help and series sorted by their labels. */
    public static final class Family {
        private final String name;
        private final Type type;
        private final String help;
        private final TreeMap<String, Series> series = new TreeMap<>();

        Family(final String name, final Type type, final String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        public String name() {
            return name;
        }

        public Type type() {
            return type;
        }

        public String help() {
            return help;
        }

        public Collection<Series> series() {
            return Collections.unmodifiableCollection(series.values());
        }
    }

    /** What a summary reports: quantiles (value per quantile, in order), count, and the sum if known. */
    public record SummaryValues(double[] quantiles, double[] values, long count, Double sum) {
    }

    private final TreeMap<String, Family> families = new TreeMap<>();
    /** Every sample name in use, to the family that owns it (a summary owns x, x_sum and x_count). */
    private final Map<String, String> sampleNames = new HashMap<>();
    private long dropped;

    public void counter(final String name, final String help, final List<MetricName.Label> labels,
                        final double value) {
        add(name, Type.COUNTER, help, labels, List.of(new Sample("", null, value)));
    }

    public void gauge(final String name, final String help, final List<MetricName.Label> labels, final double value) {
        add(name, Type.GAUGE, help, labels, List.of(new Sample("", null, value)));
    }

    /** A summary; {@code _sum} is left out when the sum is unknown (see {@link DropwizardReadings}). */
    public void summary(final String name, final String help, final List<MetricName.Label> labels,
                        final SummaryValues v) {
        final List<Sample> samples = new ArrayList<>(v.quantiles().length + 2);
        for (int i = 0; i < v.quantiles().length; i++) {
            samples.add(new Sample("", PrometheusText.formatValue(v.quantiles()[i]), v.values()[i]));
        }
        if (v.sum() != null) {
            samples.add(new Sample("_sum", null, v.sum()));
        }
        samples.add(new Sample("_count", null, v.count()));
        add(name, Type.SUMMARY, help, labels, samples);
    }

    private void add(final String rawName, final Type type, final String help, final List<MetricName.Label> labels,
                     final List<Sample> samples) {
        final String name = MetricName.sanitizeName(rawName);
        Family family = families.get(name);
        if (family == null) {
            final List<String> owned = type == Type.SUMMARY ? List.of(name, name + "_sum", name + "_count")
                : List.of(name);
            for (final String n : owned) {
                if (sampleNames.containsKey(n)) {
                    dropped++;
                    return;
                }
            }
            family = new Family(name, type, help);
            families.put(name, family);
            for (final String n : owned) {
                sampleNames.put(n, name);
            }
        } else if (family.type != type) {
            dropped++;
            return;
        }
        final String key = MetricName.format("", labels);
        if (family.series.putIfAbsent(key, new Series(sortedCopy(labels), samples)) != null) {
            dropped++;
        }
    }

    private static List<MetricName.Label> sortedCopy(final List<MetricName.Label> labels) {
        final List<MetricName.Label> copy = new ArrayList<>(labels);
        copy.sort((a, b) -> a.name().compareTo(b.name()));
        return copy;
    }

    /** The families in name order. */
    public Collection<Family> families() {
        return Collections.unmodifiableCollection(families.values());
    }

    /** Samples dropped because of a clash (see the class comment). */
    public long dropped() {
        return dropped;
    }
}

package io.duetdb.server.admin;

/**
 * Writes families in the Prometheus text exposition format, version 0.0.4: per family a
 * {@code # HELP} and a {@code # TYPE} line, then one line per sample,
 * {@code name{label="value",...} value}. No timestamps: the scraper stamps the scrape.
 */
public final class PrometheusText {
    /** The Content-Type of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    public static String write(final MetricFamilies families) {
        final StringBuilder b = new StringBuilder(16 * 1024);
        for (final MetricFamilies.Family f : families.families()) {
            if (f.series().isEmpty()) {
                continue;
            }
            b.append("# HELP ").append(f.name()).append(' ');
            appendEscapedHelp(b, f.help() == null ? f.name() : f.help());
            b.append('\n');
            b.append("# TYPE ").append(f.name()).append(' ').append(f.type().text()).append('\n');
            for (final MetricFamilies.Series s : f.series()) {
                for (final MetricFamilies.Sample sample : s.samples()) {
                    b.append(f.name()).append(sample.suffix());
                    appendLabels(b, s, sample.quantile());
                    b.append(' ').append(formatValue(sample.value())).append('\n');
                }
            }
        }
        return b.toString();
    }

    private static void appendLabels(final StringBuilder b, final MetricFamilies.Series s, final String quantile) {
        if (s.labels().isEmpty() && quantile == null) {
            return;
        }
        b.append('{');
        boolean first = true;
        for (final MetricName.Label l : s.labels()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(l.name()).append("=\"");
            MetricName.appendEscapedLabelValue(b, l.value());
            b.append('"');
        }
        if (quantile != null) {
            b.append(first ? "" : ",").append("quantile=\"").append(quantile).append('"');
        }
        b.append('}');
    }

    /** HELP text escapes only backslash and newline (quotes are fine there). */
    private static void appendEscapedHelp(final StringBuilder b, final String help) {
        for (int i = 0; i < help.length(); i++) {
            final char c = help.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\n') {
                b.append("\\n");
            } else {
                b.append(c);
            }
        }
    }

    /**
     * A value as the format spells it: whole numbers without a fraction (counts stay readable and
     * exact up to 2^53), others in Java's shortest round-trip form, which Go's parser accepts, and
     * {@code NaN}, {@code +Inf}, {@code -Inf}.
     */
    public static String formatValue(final double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}

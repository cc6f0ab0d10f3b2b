package io.duetdb.server.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Names of labelled series in a Dropwizard registry, and the Prometheus name rules.
 *
 * <p>Dropwizard names are flat strings, so a labelled series is registered under the spelling
 * Prometheus itself uses, {@code family{label="value",...}}, and the exposition splits it back
 * into family and labels. {@link #of} sorts the labels by name so that one series always gets one
 * registry name, whatever order the caller lists them in. JMX sees the whole string as the name.
 */
public final class MetricName {
    /** One label of a series; the value is kept raw and escaped only when written. */
    public record Label(String name, String value) {
        public Label {
            if (name == null || value == null) {
                throw new IllegalArgumentException("a label needs a name and a value");
            }
        }
    }

    /** A registry name split into its family and labels (labels sorted by name). */
    public record Parsed(String family, List<Label> labels) {
        public Parsed {
            labels = List.copyOf(labels);
        }
    }

    private static final Comparator<Label> BY_NAME = Comparator.comparing(Label::name);

    private MetricName() {
    }

    /**
     * The registry name of a labelled series.
     *
     * @param labelNamesAndValues alternating label names and values
     */
    public static String of(final String family, final String... labelNamesAndValues) {
        if (labelNamesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs: " + labelNamesAndValues.length
                + " strings given");
        }
        final List<Label> labels = new ArrayList<>();
        for (int i = 0; i < labelNamesAndValues.length; i += 2) {
            labels.add(new Label(sanitizeLabelName(labelNamesAndValues[i]), labelNamesAndValues[i + 1]));
        }
        return format(sanitizeName(family), labels);
    }

    /** {@code family{a="1",b="2"}} with labels sorted by name, or just the family without labels. */
    static String format(final String family, final List<Label> labels) {
        if (labels.isEmpty()) {
            return family;
        }
        final List<Label> sorted = new ArrayList<>(labels);
        sorted.sort(BY_NAME);
        final StringBuilder b = new StringBuilder(family).append('{');
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(sorted.get(i).name()).append("=\"");
            appendEscapedLabelValue(b, sorted.get(i).value());
            b.append('"');
        }
        return b.append('}').toString();
    }

    /**
     * Splits a registry name. A name that is not of the form {@code family{...}} with well-formed
     * labels is taken whole as a family name (and sanitised), so a stray brace never loses a metric.
     */
    public static Parsed parse(final String name) {
        final int open = name.indexOf('{');
        if (open > 0 && name.endsWith("}")) {
            final List<Label> labels = parseLabels(name, open + 1, name.length() - 1);
            if (labels != null) {
                labels.sort(BY_NAME);
                return new Parsed(sanitizeName(name.substring(0, open)), labels);
            }
        }
        return new Parsed(sanitizeName(name), List.of());
    }

    /** Labels between {@code from} and {@code to} (exclusive), or null when malformed. */
    private static List<Label> parseLabels(final String s, final int from, final int to) {
        final List<Label> labels = new ArrayList<>();
        int i = from;
        while (i < to) {
            final int eq = s.indexOf('=', i);
            if (eq < 0 || eq >= to || eq + 1 >= to || s.charAt(eq + 1) != '"') {
                return null;
            }
            final String labelName = s.substring(i, eq).trim();
            final StringBuilder value = new StringBuilder();
            int j = eq + 2;
            boolean closed = false;
            while (j < to) {
                final char c = s.charAt(j++);
                if (c == '\\' && j < to) {
                    final char e = s.charAt(j++);
                    value.append(e == 'n' ? '\n' : e);
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value.append(c);
                }
            }
            if (!closed || labelName.isEmpty()) {
                return null;
            }
            labels.add(new Label(sanitizeLabelName(labelName), value.toString()));
            if (j < to && s.charAt(j) != ',') {
                return null;
            }
            i = j + 1;
        }
        return labels;
    }

    /** Maps a name onto {@code [a-zA-Z_:][a-zA-Z0-9_:]*}: other characters become underscores. */
    public static String sanitizeName(final String raw) {
        return sanitize(raw, true);
    }

    /** Maps a label name onto {@code [a-zA-Z_][a-zA-Z0-9_]*} (no colons in label names). */
    public static String sanitizeLabelName(final String raw) {
        return sanitize(raw, false);
    }

    private static String sanitize(final String raw, final boolean colonAllowed) {
        if (raw == null || raw.isEmpty()) {
            return "_";
        }
        final StringBuilder b = new StringBuilder(raw.length() + 1);
        if (raw.charAt(0) >= '0' && raw.charAt(0) <= '9') {
            b.append('_');
        }
        for (int i = 0; i < raw.length(); i++) {
            final char c = raw.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                || (colonAllowed && c == ':');
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    /** Appends a label value escaped as the text format wants: backslash, double quote, newline. */
    static void appendEscapedLabelValue(final StringBuilder b, final String value) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
    }
}

package io.duetdb.server.admin;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the text format, written independently of the writer: it checks what a
 * Prometheus server would reject (bad names, a sample before its TYPE, a family split in two,
 * a duplicate series, a malformed label or value) and returns the samples keyed by
 * {@code name{labels sorted by name}}.
 */
final class PromTextParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "summary", "histogram", "untyped");

    /** What was parsed: samples by series key, TYPE and HELP by family. */
    record Parsed(Map<String, Double> samples, Map<String, String> types, Map<String, String> help) {
        double value(final String key) {
            final Double v = samples.get(key);
            if (v == null) {
                throw new AssertionError("no sample " + key + " among " + samples.keySet());
            }
            return v;
        }
    }

    private PromTextParser() {
    }

    static Parsed parse(final String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the text must end with a newline");
        }
        final Map<String, Double> samples = new LinkedHashMap<>();
        final Map<String, String> types = new LinkedHashMap<>();
        final Map<String, String> help = new HashMap<>();
        final Set<String> finishedFamilies = new HashSet<>();
        String current = null;
        int lineNo = 0;
        for (final String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            final String where = "line " + lineNo + ": " + line;
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                final String[] parts = line.substring(7).split(" ", 2);
                check(NAME.matcher(parts[0]).matches(), "bad family name", where);
                if (!parts[0].equals(current)) {
                    check(!finishedFamilies.contains(parts[0]), "family " + parts[0] + " appears twice", where);
                    if (current != null) {
                        finishedFamilies.add(current);
                    }
                    current = parts[0];
                }
                if (line.startsWith("# TYPE ")) {
                    check(parts.length == 2 && TYPES.contains(parts[1]), "bad type", where);
                    check(types.put(parts[0], parts[1]) == null, "second TYPE", where);
                } else {
                    check(help.put(parts[0], parts.length == 2 ? parts[1] : "") == null, "second HELP", where);
                }
                continue;
            }
            check(!line.startsWith("#"), "unknown comment", where);
            final int brace = line.indexOf('{');
            final int space = line.lastIndexOf(' ');
            check(space > 0, "no value", where);
            final String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            check(NAME.matcher(name).matches(), "bad sample name", where);
            check(current != null && types.containsKey(current), "sample before its TYPE", where);
            check(belongsTo(name, current, types.get(current)), "sample outside its family " + current, where);
            final TreeMap<String, String> labels = new TreeMap<>();
            if (brace >= 0 && brace < space) {
                final int close = line.lastIndexOf('}', space);
                check(close == space - 1, "labels not closed before the value", where);
                parseLabels(line.substring(brace + 1, close), labels, where);
            }
            final double value = parseValue(line.substring(space + 1), where);
            final String key = key(name, labels);
            check(samples.put(key, value) == null, "duplicate series " + key, where);
        }
        return new Parsed(samples, types, help);
    }

    private static boolean belongsTo(final String sample, final String family, final String type) {
        if (sample.equals(family)) {
            return true;
        }
        return ("summary".equals(type) || "histogram".equals(type))
            && (sample.equals(family + "_sum") || sample.equals(family + "_count")
                || sample.equals(family + "_bucket"));
    }

    private static void parseLabels(final String s, final Map<String, String> out, final String where) {
        int i = 0;
        while (i < s.length()) {
            final int eq = s.indexOf('=', i);
            check(eq > i, "label without =", where);
            final String name = s.substring(i, eq);
            check(LABEL_NAME.matcher(name).matches(), "bad label name " + name, where);
            check(eq + 1 < s.length() && s.charAt(eq + 1) == '"', "label value not quoted", where);
            final StringBuilder v = new StringBuilder();
            int j = eq + 2;
            boolean closed = false;
            while (j < s.length()) {
                final char c = s.charAt(j++);
                if (c == '\\') {
                    check(j < s.length(), "dangling backslash", where);
                    final char e = s.charAt(j++);
                    check(e == '\\' || e == '"' || e == 'n', "bad escape \\" + e, where);
                    v.append(e == 'n' ? '\n' : e);
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    check(c != '\n', "raw newline in a label value", where);
                    v.append(c);
                }
            }
            check(closed, "unterminated label value", where);
            check(out.put(name, v.toString()) == null, "label " + name + " twice", where);
            if (j < s.length()) {
                check(s.charAt(j) == ',', "labels not separated by a comma", where);
                j++;
            }
            i = j;
        }
    }

    private static double parseValue(final String s, final String where) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                check(s.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?"), "bad value " + s, where);
                return Double.parseDouble(s);
        }
    }

    /** {@code name{a="x",b="y"}} with labels sorted by name, values unescaped; just the name without labels. */
    static String key(final String name, final Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        final StringBuilder b = new StringBuilder(name).append('{');
        new TreeMap<>(labels).forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }

    private static void check(final boolean ok, final String what, final String where) {
        if (!ok) {
            throw new AssertionError(what + " at " + where);
        }
    }
}

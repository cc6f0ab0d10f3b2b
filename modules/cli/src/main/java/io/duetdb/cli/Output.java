package io.duetdb.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints one command's result in the chosen format: JSON (the whole result, for scripts), a table
 * (for people), or simple (one line per item, for shells).
 */
final class Output {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
        .create();

    private final OutputFormat format;
    private final PrintWriter out;

    Output(final OutputFormat format, final PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    OutputFormat format() {
        return format;
    }

    PrintWriter writer() {
        return out;
    }

    /** Prints {@code json} as JSON, {@code table} as a table, or {@code simpleLines} one per line. */
    void print(final Object json, final Table table, final List<String> simpleLines) {
        switch (format) {
            case json -> out.println(GSON.toJson(json));
            case table -> out.print(table.render());
            case simple -> simpleLines.forEach(out::println);
            default -> throw new IllegalStateException("format " + format);
        }
        out.flush();
    }

    /** As {@link #print(Object, Table, List)}, simple being the table's rows joined with ", ". */
    void print(final Object json, final Table table) {
        final List<String> lines = new ArrayList<>();
        for (final List<String> row : table.rows()) {
            lines.add(String.join(", ", row));
        }
        print(json, table, lines);
    }

    /** A table: headers and rows of cells, all rows as wide as the headers. */
    record Table(List<String> headers, List<List<String>> rows) {
        Table {
            for (final List<String> row : rows) {
                if (row.size() != headers.size()) {
                    throw new IllegalArgumentException("row " + row + " does not match headers " + headers);
                }
            }
        }

        String render() {
            final int[] widths = new int[headers.size()];
            for (int c = 0; c < widths.length; c++) {
                widths[c] = headers.get(c).length();
                for (final List<String> row : rows) {
                    widths[c] = Math.max(widths[c], row.get(c).length());
                }
            }
            final StringBuilder b = new StringBuilder();
            rule(b, widths);
            line(b, widths, headers);
            rule(b, widths);
            for (final List<String> row : rows) {
                line(b, widths, row);
            }
            rule(b, widths);
            return b.toString();
        }

        private static void rule(final StringBuilder b, final int[] widths) {
            for (final int w : widths) {
                b.append('+').append("-".repeat(w + 2));
            }
            b.append("+\n");
        }

        private static void line(final StringBuilder b, final int[] widths, final List<String> cells) {
            for (int c = 0; c < widths.length; c++) {
                b.append("| ").append(cells.get(c)).append(" ".repeat(widths[c] - cells.get(c).length())).append(' ');
            }
            b.append("|\n");
        }
    }
}

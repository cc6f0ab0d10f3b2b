package io.duetdb.bench.sidebyside;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG charts of a run (XChart, drawn headless): for each cluster workload, ops/s, p50/p99
 * latency and CPU per op vs clients;
 * engine puts/s and p50/p99 latency vs writers. Both axes are logarithmic: the systems differ by
 * orders of magnitude. Each title carries the 1-minute load range during the trials.
 */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    /** One colour per system in every chart. */
    private static final Map<String, Color> COLOURS = Map.of("duet", new Color(0x1f77b4), "etcd",
        new Color(0xff7f0e), "noop", new Color(0x7f7f7f), "io_uring", new Color(0x1f77b4), "filechannel",
        new Color(0x9467bd), "rocksdb", new Color(0x2ca02c), "naive", new Color(0xd62728));

    /** Duet variants (duet:FLAGS). */
    private static final Color VARIANT = new Color(0x17becf);

    private Charts() {
    }

    /** Writes the charts the record has data for; returns the files written. */
    static List<Path> render(final RunRecord record, final Path outDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        final List<Path> written = new ArrayList<>();
        for (final ClusterWorkload w : Aggregates.workloads(record)) {
            written.addAll(cluster(record, w, outDir));
        }
        final Map<String, List<Aggregates.EnginePoint>> engine = Aggregates.engine(record);
        if (!engine.isEmpty()) {
            final String load = loadRange(record.engine().stream()
                .flatMap(t -> java.util.stream.Stream.of(t.loadBefore(), t.loadAfter())).toList());
            final XYChart tput = chart("Engine: durable puts/s in one process (" + load + ")", "concurrent writers",
                "puts/s");
            engine.forEach((system, points) -> line(tput, system, points, Aggregates.EnginePoint::writers,
                Aggregates.EnginePoint::opsPerSecond, system, false));
            written.add(save(tput, outDir.resolve("engine-throughput.png")));
            final XYChart lat = chart("Engine: put latency, p50 (solid) and p99 (dashed) (" + load + ")",
                "concurrent writers", "ms");
            engine.forEach((system, points) -> {
                line(lat, system + " p50", points, Aggregates.EnginePoint::writers, Aggregates.EnginePoint::p50Ms,
                    system, false);
                line(lat, system + " p99", points, Aggregates.EnginePoint::writers, Aggregates.EnginePoint::p99Ms,
                    system, true);
            });
            written.add(save(lat, outDir.resolve("engine-latency.png")));
        }
        return written;
    }

    /**
     * A workload's throughput, latency and CPU charts: {@code cluster-*.png} for puts (the names
     * older runs have), {@code cluster-<workload>-*.png} for the others.
     */
    private static List<Path> cluster(final RunRecord record, final ClusterWorkload w, final Path outDir)
        throws IOException {
        final Map<String, List<Aggregates.ClusterPoint>> cluster = Aggregates.cluster(record, w);
        final String prefix = w.isPut() ? "cluster" : "cluster-" + w.label();
        final String unit = w.unit();
        final String op = unit.substring(0, unit.length() - 1);
        final String load = loadRange(record.cluster().stream()
            .filter(t -> t.result() != null && ClusterWorkload.of(t) == w)
            .flatMap(t -> java.util.stream.Stream.of(t.result().loadavgBefore(), t.result().loadavgAfter())).toList());
        final List<Path> written = new ArrayList<>();
        final XYChart tput = chart(capitalised(w.description()) + ", " + unit + "/s, 3 members (" + load + ")",
            "clients (conns as in results.md)", unit + "/s");
        cluster.forEach((system, points) -> line(tput, system, points, p -> p.clients(),
            Aggregates.ClusterPoint::opsPerSecond, system, false));
        written.add(save(tput, outDir.resolve(prefix + "-throughput.png")));
        final XYChart lat = chart(capitalised(w.description()) + ": p50 (solid), p99 (dashed) (" + load + ")",
            "clients", "ms");
        cluster.forEach((system, points) -> {
            line(lat, system + " p50", points, p -> p.clients(), p -> p.latencyMs().p50(), system, false);
            line(lat, system + " p99", points, p -> p.clients(), p -> p.latencyMs().p99(), system, true);
        });
        written.add(save(lat, outDir.resolve(prefix + "-latency.png")));
        final XYChart cpu = chart("CPU per " + op + " (" + w.label() + "): servers (solid), client (dashed)",
            "clients", "CPU ms per " + op);
        cluster.forEach((system, points) -> {
            line(cpu, system + " servers", points, p -> p.clients(), Aggregates.ClusterPoint::serverCpuMsPerOp,
                system, false);
            line(cpu, system + " client", points, p -> p.clients(), Aggregates.ClusterPoint::clientCpuMsPerOp,
                system, true);
        });
        if (!cpu.getSeriesMap().isEmpty()) {
            written.add(save(cpu, outDir.resolve(prefix + "-cpu.png")));
        }
        return written;
    }

    private static String capitalised(final String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static XYChart chart(final String title, final String xTitle, final String yTitle) {
        final XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
            .yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setChartBackgroundColor(Color.WHITE)
            .setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(7);
        c.getStyler().setYAxisDecimalPattern("#,##0.###");
        return c;
    }

    private static <P> void line(final XYChart chart, final String name, final List<P> points,
                                 final ToDoubleFunction<P> x, final ToDoubleFunction<P> y, final String system,
                                 final boolean dashed) {
        // A log axis takes no zeros, and NaN (not measured) is no point.
        final List<P> usable = points.stream().filter(p -> y.applyAsDouble(p) > 0).toList();
        if (usable.isEmpty()) {
            return;
        }
        final XYSeries s = chart.addSeries(name, usable.stream().mapToDouble(x).toArray(),
            usable.stream().mapToDouble(y).toArray());
        final Color colour = COLOURS.getOrDefault(system, system.startsWith("duet:") ? VARIANT : Color.BLACK);
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setMarker(dashed ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        s.setLineStyle(dashed ? SeriesLines.DASH_DASH : new BasicStroke(2f));
    }

    private static Path save(final XYChart chart, final Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    /** "load 2.1–7.9, 2 cores": the range of 1-minute load averages seen. */
    static String loadRange(final List<String> loadavgs) {
        final double[] ones = loadavgs.stream().filter(l -> l != null && !l.equals("n/a"))
            .mapToDouble(l -> Double.parseDouble(l.split(" ")[0])).toArray();
        if (ones.length == 0) {
            return "load not recorded";
        }
        return String.format(Locale.ROOT, "load %.1f–%.1f on %d cores", java.util.Arrays.stream(ones).min().getAsDouble(),
            java.util.Arrays.stream(ones).max().getAsDouble(), Runtime.getRuntime().availableProcessors());
    }
}

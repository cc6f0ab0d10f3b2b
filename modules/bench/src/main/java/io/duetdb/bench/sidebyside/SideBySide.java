package io.duetdb.bench.sidebyside;

import io.duetdb.bench.EngineBenchmark;
import io.duetdb.bench.load.HostProbe;
import io.duetdb.bench.load.LoadResult;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The one-command side-by-side run: Duet, etcd and the no-op gRPC service started together (3-node
 * clusters on loopback), then every workload (puts, reads from the leader and from a follower,
 * serializable reads, a 90/10 mix) at every client shape measured on each system in turn, the
 * order rotating per cell and round, so that the other jobs on this shared machine load them alike;
 * then the engine against RocksDB and the naive log. Writes {@code side-by-side.json},
 * {@code results.md}, PNG charts, every trial's JSON and the console log to {@code --out}.
 */
public final class SideBySide {
    private static final int FSYNC_PROBE_WRITES = 500;
    /** Beyond the engine trials' own time: JVM start, store opening and deleting. */
    private static final long ENGINE_SLACK_MS = 120_000;

    private final SideBySideOptions opts;
    private final PrintStream console;

    private SideBySide(final SideBySideOptions opts, final PrintStream console) {
        this.opts = opts;
        this.console = console;
    }

    public static void main(final String[] args) {
        final SideBySideOptions opts = new SideBySideOptions();
        final CommandLine cl = new CommandLine(opts).setOverwrittenOptionsAllowed(true); // the script's defaults first
        try {
            cl.parseArgs(args);
        } catch (final CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            cl.usage(System.err);
            System.exit(2);
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(System.out);
            return;
        }
        System.setProperty("java.awt.headless", "true");
        try {
            Files.createDirectories(opts.outDir);
            if (opts.reportOnly) {
                publish(RunRecord.fromJson(Files.readString(opts.outDir.resolve("side-by-side.json"))), opts.outDir);
                return;
            }
            try (OutputStream log = new FileOutputStream(opts.outDir.resolve("console.txt").toFile(), true);
                 PrintStream tee = new PrintStream(new Tee(System.out, log), true, StandardCharsets.UTF_8)) {
                new SideBySide(opts, tee).run();
            }
        } catch (final Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void run() throws Exception {
        final String startedAt = now();
        final String loadBefore = HostProbe.loadAverage();
        final double fsyncBefore = FsyncProbe.meanMs(opts.workDir, FSYNC_PROBE_WRITES);
        console.printf("side-by-side: started %s; load %s; fdatasync floor %.2f ms per 4 KiB write%n", startedAt,
            loadBefore, fsyncBefore);
        final List<RunRecord.ClusterTrial> cluster = opts.skipCluster ? List.of() : clusterPart();
        final List<EngineBenchmark.Trial> engine = opts.skipEngine ? List.of() : enginePart();
        final double fsyncAfter = FsyncProbe.meanMs(opts.workDir, FSYNC_PROBE_WRITES);
        final RunRecord record = new RunRecord(Environments.capture(startedAt, now(), opts.command, opts.etcdBinary,
            fsyncBefore, fsyncAfter, loadBefore, HostProbe.loadAverage()), cluster, engine);
        Files.writeString(opts.outDir.resolve("side-by-side.json"), record.toJson());
        console.printf("side-by-side: finished %s; load %s; fdatasync floor %.2f ms%n", now(),
            HostProbe.loadAverage(), fsyncAfter);
        console.print(publish(record, opts.outDir));
        EngineBenchmark.deleteTreeIfExists(opts.workDir);
    }

    /** Writes results.md and the charts; returns the Markdown. */
    static String publish(final RunRecord record, final Path outDir) throws IOException {
        final String markdown = Report.markdown(record);
        Files.writeString(outDir.resolve("results.md"), markdown);
        Charts.render(record, outDir);
        return markdown;
    }

    private List<RunRecord.ClusterTrial> clusterPart() throws Exception {
        final Path trialsDir = opts.outDir.resolve("cluster");
        final Path logDir = opts.outDir.resolve("logs");
        Files.createDirectories(trialsDir);
        final List<SystemUnderTest> systems = new ArrayList<>();
        final List<RunRecord.ClusterTrial> trials = new ArrayList<>();
        try {
            for (final String name : opts.systems) {
                final long t0 = System.nanoTime();
                final Path data = opts.workDir.resolve(fileName(name));
                if (name.startsWith("duet:")) { // a variant: node flags after the colon, separated by spaces
                    systems.add(DuetCluster.start(name, List.of(name.substring(5).trim().split("\\s+")), data, logDir));
                } else {
                    systems.add(switch (name) {
                        case "duet" -> DuetCluster.start(name, List.of(), data, logDir);
                        case "etcd" -> EtcdCluster.start(opts.etcdBinary, data, logDir);
                        case "noop" -> NoopService.start(logDir);
                        default -> throw new IllegalArgumentException("unknown system '" + name
                            + "' (duet, etcd, noop, or duet:FLAGS)");
                    });
                }
                final SystemUnderTest s = systems.get(systems.size() - 1);
                console.printf("%s: up in %.1f s, pids %s, endpoints %s%n", name, (System.nanoTime() - t0) / 1e9,
                    s.pids(), s.endpoints());
            }
            final TrialRunner runner = new TrialRunner(trialsDir, console);
            final List<Cell> cells = cells();
            final boolean reads = cells.stream().anyMatch(c -> !c.workload().isPut());
            // Every cell, because each one reaches code the others do not (a JVM server still spent
            // a fifth of its CPU in the C2 compiler after 90 s at a single shape).
            final long warmupPerCellMs = opts.serverWarmupMs / cells.size();
            for (final SystemUnderTest s : systems) {
                console.printf("%n== warming %s up (%d ms at each workload and shape, not recorded)%n", s.name(),
                    warmupPerCellMs);
                if (reads) {
                    runner.fill(s, "fill-" + fileName(s.name()));
                }
                for (final Cell cell : cells) {
                    runner.run(s, cell.workload(), cell.shape(), 0, warmupPerCellMs, "warmup-" + cell.tag(s));
                }
            }
            int order = 0;
            for (int round = 1; round <= opts.rounds; round++) {
                for (int i = 0; i < cells.size(); i++) {
                    final List<SystemUnderTest> turn = new ArrayList<>(systems);
                    Collections.rotate(turn, -(round - 1 + i)); // each system goes first in turn
                    for (final SystemUnderTest s : turn) {
                        final Cell cell = cells.get(i);
                        console.printf("%n== round %d, %s, %s clients/conns, %s (load %s)%n", round,
                            cell.workload().label(), cell.shape(), s.name(), HostProbe.loadAverage());
                        trials.add(trial(runner, s, cell, round, ++order, "r" + round + "-" + cell.tag(s)));
                    }
                }
            }
            return trials;
        } finally {
            for (final SystemUnderTest s : systems) {
                s.close();
            }
            gzipLogs(logDir);
        }
    }

    /** One workload at one client shape: what a round measures on every system in turn. */
    private record Cell(ClusterWorkload workload, TrialRunner.Shape shape) {
        String tag(final SystemUnderTest s) {
            return String.format("%s-%s-%dx%d", fileName(s.name()), workload.label(), shape.clients(), shape.conns());
        }
    }

    /** Puts at every --shapes shape, then each read workload at every --read-shapes shape. */
    private List<Cell> cells() {
        final List<Cell> cells = new ArrayList<>();
        for (final String label : opts.workloads) {
            final ClusterWorkload w = ClusterWorkload.parse(label);
            for (final String shape : w.isPut() ? opts.shapes : opts.readShapes) {
                cells.add(new Cell(w, TrialRunner.Shape.parse(shape)));
            }
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("no cluster trials: --workloads or the shapes are empty");
        }
        return cells;
    }

    private RunRecord.ClusterTrial trial(final TrialRunner runner, final SystemUnderTest s, final Cell cell,
                                         final int round, final int order, final String tag) throws Exception {
        final TrialRunner.Shape shape = cell.shape();
        final String workload = cell.workload().label();
        try {
            final LoadResult r = runner.run(s, cell.workload(), shape, opts.warmupMs, opts.durationMs, tag);
            return new RunRecord.ClusterTrial(order, round, workload, s.name(), shape.clients(), shape.conns(),
                tag + ".json", r, null);
        } catch (final IllegalStateException e) {
            s.checkAlive(); // a dead system ends the run; a failed trial is recorded and the run goes on
            console.println("trial failed: " + e.getMessage());
            return new RunRecord.ClusterTrial(order, round, workload, s.name(), shape.clients(), shape.conns(),
                tag + ".json", null, e.getMessage());
        }
    }

    /** The engine benchmark in its own JVM (its writer threads must not share a heap with anything else). */
    private List<EngineBenchmark.Trial> enginePart() throws IOException, InterruptedException {
        final Path json = opts.outDir.resolve("engine.json");
        final Path dir = opts.workDir.resolve("engine");
        Files.createDirectories(dir);
        final List<String> cmd = List.of(ManagedProcess.javaBinary(), "-Xmx2g", "-XX:MaxDirectMemorySize=1g", "-cp",
            System.getProperty("java.class.path"), EngineBenchmark.class.getName(), "--seconds",
            String.valueOf(opts.engineSeconds), "--rounds", String.valueOf(opts.engineRounds), "--writers",
            opts.engineWriters, "--systems", opts.engineSystems, "--dir", dir.toString(), "--json", json.toString());
        console.printf("%n== engine: %s%n", String.join(" ", cmd.subList(cmd.indexOf(EngineBenchmark.class.getName()),
            cmd.size())));
        final long trials = (long) opts.engineRounds * opts.engineWriters.split(",").length
            * opts.engineSystems.split(",").length;
        final long boundMs = trials * (opts.engineSeconds + 2) * 1000L + ENGINE_SLACK_MS;
        final Path log = opts.outDir.resolve("engine.txt");
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(boundMs, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            console.println("engine benchmark did not finish within " + boundMs + " ms; keeping its finished trials");
        }
        console.print(Files.readString(log));
        return Files.exists(json) ? EngineBenchmark.fromJson(Files.readString(json)) : List.of();
    }

    /** A system's label as a file name part: "duet:--max-in-flight-entries=16" → "duet_max-in-flight-entries_16". */
    static String fileName(final String label) {
        return label.replaceAll("[^A-Za-z0-9.-]+", "_").replaceAll("_-+", "_").replaceAll("_+", "_");
    }

    /** Node logs can be megabytes (etcd warns about every slow request): keep them gzipped. */
    private static void gzipLogs(final Path logDir) throws IOException {
        if (!Files.isDirectory(logDir)) {
            return;
        }
        try (java.util.stream.Stream<Path> logs = Files.list(logDir)) {
            for (final Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                try (OutputStream gz = new java.util.zip.GZIPOutputStream(
                    Files.newOutputStream(log.resolveSibling(log.getFileName() + ".gz")))) {
                    Files.copy(log, gz);
                }
                Files.delete(log);
            }
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Writes to the terminal and the console log at once. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(final OutputStream a, final OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(final int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(final byte[] buf, final int off, final int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}

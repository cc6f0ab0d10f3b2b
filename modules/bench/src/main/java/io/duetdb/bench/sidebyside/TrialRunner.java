package io.duetdb.bench.sidebyside;

import io.duetdb.bench.load.BenchMain;
import io.duetdb.bench.load.LoadResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs one trial: exactly what {@code duet-bench put|range|mixed ...} does (the command line is
 * printed), but inside this JVM, so that the client's code is already compiled by the time a trial
 * measures (a fresh JVM would spend the first seconds of each trial compiling gRPC and netty on the
 * same two cores the servers need). The server warm-up runs compile both clients before the first trial.
 */
final class TrialRunner {
    /** The fill's client shape: enough in flight to fill 100,000 keys in seconds. */
    private static final int FILL_CLIENTS = 64;
    private static final int FILL_CONNS = 8;

    private final Path outDir;
    private final PrintStream console;

    TrialRunner(final Path outDir, final PrintStream console) {
        this.outDir = outDir;
        this.console = console;
    }

    /** A trial of {@code workload} with the side-by-side payload; {@code tag} names its files. */
    LoadResult run(final SystemUnderTest system, final ClusterWorkload workload, final Shape shape,
                   final long warmupMs, final long durationMs, final String tag)
        throws IOException, InterruptedException {
        final Path json = outDir.resolve(tag + ".json");
        final List<String> args = new ArrayList<>(List.of(workload.benchCommand()));
        args.addAll(common(system, system.endpoints(workload.member()), shape.clients(), shape.conns()));
        args.addAll(List.of("--duration", durationMs + "ms", "--warmup", warmupMs + "ms", "--json", json.toString(),
            "--cpu-pids", system.pids().stream().map(String::valueOf).collect(Collectors.joining(","))));
        args.addAll(workload.benchArgs());
        final int exit = execute(system, args, tag);
        if (exit != 0 || !Files.exists(json)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "trial %s failed (exit %d)", tag, exit));
        }
        return LoadResult.fromJson(Files.readString(json));
    }

    /**
     * Puts every key of the side-by-side key space once, in order, so that reads find values (not
     * recorded as a trial).
     */
    void fill(final SystemUnderTest system, final String tag) throws IOException, InterruptedException {
        final List<String> args = new ArrayList<>(List.of("put"));
        args.addAll(common(system, system.endpoints(ClusterWorkload.Member.ANY), FILL_CLIENTS, FILL_CONNS));
        args.addAll(List.of("--total", String.valueOf(SideBySideOptions.KEY_SPACE), "--sequential-keys"));
        final int exit = execute(system, args, tag);
        if (exit != 0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s failed (exit %d)", tag, exit));
        }
    }

    private static List<String> common(final SystemUnderTest system, final List<String> endpoints, final int clients,
                                       final int conns) {
        return List.of("--target", system.target(), "--endpoints", String.join(",", endpoints),
            "--clients", String.valueOf(clients), "--conns", String.valueOf(conns),
            "--key-size", String.valueOf(SideBySideOptions.KEY_BYTES),
            "--val-size", String.valueOf(SideBySideOptions.VALUE_BYTES),
            "--key-space", String.valueOf(SideBySideOptions.KEY_SPACE), "--no-progress");
    }

    /** Runs duet-bench in this JVM; its table goes to the console and to {@code <tag>.txt}. */
    private int execute(final SystemUnderTest system, final List<String> args, final String tag) throws IOException {
        console.println("$ duet-bench " + String.join(" ", args));
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream out = new PrintStream(table, true, StandardCharsets.UTF_8)) {
            exit = BenchMain.execute(out, args.toArray(String[]::new));
        }
        final String text = table.toString(StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve(tag + ".txt"), text);
        console.print(text);
        system.checkAlive();
        return exit;
    }

    /** A client shape: closed-loop clients over gRPC connections. */
    record Shape(int clients, int conns) {
        static Shape parse(final String text) {
            final String[] f = text.trim().split("/");
            if (f.length != 2) {
                throw new IllegalArgumentException("a shape is CLIENTS/CONNS, like 64/8, not '" + text + "'");
            }
            return new Shape(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
        }

        @Override
        public String toString() {
            return clients + "/" + conns;
        }
    }
}

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

/**
 * Runs one trial: exactly what {@code duet-bench put ...} does (the command line is printed), but
 * inside this JVM, so that the client's code is already compiled by the time a trial measures (a
 * fresh JVM would spend the first seconds of each trial compiling gRPC and netty on the same two
 * cores the servers need). The server warm-up runs compile both clients before the first trial.
 */
final class TrialRunner {
    private final Path outDir;
    private final PrintStream console;

    TrialRunner(final Path outDir, final PrintStream console) {
        this.outDir = outDir;
        this.console = console;
    }

    /** A trial of puts with the side-by-side payload; {@code tag} names its files. */
    LoadResult put(final SystemUnderTest system, final Shape shape, final long warmupMs, final long durationMs,
                   final String tag) throws IOException {
        final Path json = outDir.resolve(tag + ".json");
        final List<String> args = new ArrayList<>(List.of("put",
            "--target", system.target(), "--endpoints", String.join(",", system.endpoints()),
            "--clients", String.valueOf(shape.clients()), "--conns", String.valueOf(shape.conns()),
            "--duration", durationMs + "ms", "--warmup", warmupMs + "ms",
            "--key-size", String.valueOf(SideBySideOptions.KEY_BYTES),
            "--val-size", String.valueOf(SideBySideOptions.VALUE_BYTES),
            "--key-space", String.valueOf(SideBySideOptions.KEY_SPACE), "--sequential-keys",
            "--no-progress", "--json", json.toString(), "--cpu-pids",
            system.pids().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))));
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
        if (exit != 0 || !Files.exists(json)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "trial %s failed (exit %d)", tag, exit));
        }
        return LoadResult.fromJson(Files.readString(json));
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

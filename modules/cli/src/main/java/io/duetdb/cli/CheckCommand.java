package io.duetdb.cli;

import io.duetdb.client.DuetClient;
import io.duetdb.client.DuetException;
import io.duetdb.client.RangeQuery;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true, description = "Checks of a running cluster.")
final class CheckCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The loads of {@code check perf}: target writes per second and concurrent clients. */
    enum Load {
        s(150, 50), m(1000, 200), l(8000, 500);

        final int writesPerSecond;
        final int clients;

        Load(final int writesPerSecond, final int clients) {
            this.writesPerSecond = writesPerSecond;
            this.clients = clients;
        }
    }

    @Command(name = "perf", mixinStandardHelpOptions = true, description = {
        "Writes at a steady rate for a while and says whether the cluster kept up: PASS when it reached",
        "90% of the target rate, the 99th percentile latency stayed under --max-p99-ms, and nothing failed.",
        "Loads as etcdctl's: s = 150 writes/s from 50 clients, m = 1000/s from 200, l = 8000/s from 500 (256-byte values).",
        "The keys go under --prefix, which must be empty, and are deleted afterwards. Exit code 1 on FAIL."})
    int perf(@Option(names = "--load", defaultValue = "s", description = "s, m or l (default ${DEFAULT-VALUE})")
             final Load load,
             @Option(names = "--seconds", defaultValue = "10", description = "how long to write (1..600; default "
                 + "${DEFAULT-VALUE})") final int seconds,
             @Option(names = "--max-p99-ms", defaultValue = "500", description = "latency bound (default "
                 + "${DEFAULT-VALUE})") final long maxP99Ms,
             @Option(names = "--prefix", defaultValue = "/duetctl-check-perf/", description = "where the test keys go "
                 + "(default ${DEFAULT-VALUE})") final String prefix) throws InterruptedException {
        if (seconds < 1 || seconds > 600 || maxP99Ms < 1 || prefix.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--seconds must be 1..600, --max-p99-ms >= 1, --prefix not empty");
        }
        final GlobalOptions global = GlobalOptions.of(spec);
        final PerfRun.Result r;
        try (DuetClient client = global.client(spec)) {
            if (client.kv().range(RangeQuery.prefix(prefix).countOnly()).count() > 0) {
                throw new IllegalStateException("keys exist under " + prefix + ": choose an unused --prefix, or delete "
                    + "them with: duetctl del --prefix " + prefix);
            }
            try {
                r = new PerfRun(client.kv(), prefix, load.writesPerSecond, load.clients, seconds * 1000L).run();
            } finally {
                try {
                    client.kv().deletePrefix(prefix);
                } catch (final DuetException e) {
                    spec.commandLine().getErr().println("warning: could not delete the test keys under " + prefix
                        + ": " + e.getMessage());
                }
            }
        }
        final boolean pass = r.writesPerSecond() >= 0.9 * load.writesPerSecond && r.p99Ms() <= maxP99Ms
            && r.errors() == 0;
        final String verdict = pass ? "PASS" : "FAIL";
        global.output(spec, OutputFormat.table).print(
            Views.map("load", load.name(), "target_writes_per_second", load.writesPerSecond, "clients", load.clients,
                "seconds", seconds, "writes", r.writes(), "errors", r.errors(), "writes_per_second", r.writesPerSecond(),
                "p50_ms", r.p50Ms(), "p99_ms", r.p99Ms(), "max_ms", r.maxMs(), "max_p99_ms", maxP99Ms, "pass", pass),
            new Output.Table(List.of("LOAD", "TARGET", "ACHIEVED", "P50", "P99", "MAX", "ERRORS", "VERDICT"),
                List.of(List.of(load.name(), load.writesPerSecond + " w/s", String.format("%.0f w/s", r.writesPerSecond()),
                    String.format("%.1f ms", r.p50Ms()), String.format("%.1f ms", r.p99Ms()),
                    String.format("%.1f ms", r.maxMs()), Long.toString(r.errors()), verdict))),
            List.of(verdict + String.format(": %.0f writes/s of %d, p99 %.1f ms (bound %d), %d errors",
                r.writesPerSecond(), load.writesPerSecond, r.p99Ms(), maxP99Ms, r.errors())));
        return pass ? DuetCtl.EXIT_OK : DuetCtl.EXIT_ERROR;
    }
}

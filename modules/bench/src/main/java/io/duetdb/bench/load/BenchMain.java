package io.duetdb.bench.load;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code duet-bench}: a load generator in the shape of etcd's benchmark tool, for Duet, etcd
 * (through jetcd) and the no-op gRPC service. Exit codes: 0 when requests succeeded, 1 when none
 * did, 2 on bad usage.
 */
@Command(name = "duet-bench", mixinStandardHelpOptions = true, version = "duet-bench 0.1.0",
    description = "Load generator for Duet, etcd and the no-op gRPC service (see modules/bench/README.md).",
    subcommands = {BenchMain.Put.class, BenchMain.Range.class, BenchMain.TxnCas.class, BenchMain.Mixed.class})
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(final String[] args) {
        System.exit(execute(System.out, args));
    }

    /** Runs the command line, printing results to {@code out}; returns the exit code. */
    public static int execute(final PrintStream out, final String... args) {
        final CommandLine cl = new CommandLine(BenchMain.class);
        cl.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setExecutionStrategy(parsed -> {
            for (final CommandLine c : parsed.asCommandLineList()) {
                if (c.getCommand() instanceof WorkloadCommand w) {
                    w.out = out;
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl.execute(args);
    }

    /** The options every workload takes (named as in etcd's benchmark tool where one exists). */
    abstract static class WorkloadCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandSpec commandSpec;
        PrintStream out = System.out;

        @Option(names = "--target", description = "duet, etcd or noop (default: ${DEFAULT-VALUE})")
        String target = "duet";
        @Option(names = "--endpoints", split = ",", description = "host:port,... (default: ${DEFAULT-VALUE})")
        List<String> endpoints = List.of("127.0.0.1:2379");
        @Option(names = "--clients", description = "concurrent closed-loop clients (default: ${DEFAULT-VALUE})")
        int clients = 1;
        @Option(names = "--conns", description = "connections the clients share (default: ${DEFAULT-VALUE})")
        int conns = 1;
        @Option(names = "--total", description = "measured requests (instead of --duration)")
        long total;
        @Option(names = "--duration", description = "measured time, e.g. 10s, 500ms, 2m (default: 10s)")
        String duration;
        @Option(names = "--warmup", description = "unmeasured load first (default: ${DEFAULT-VALUE})")
        String warmup = "1s";
        @Option(names = "--key-size", description = "key bytes (default: ${DEFAULT-VALUE})")
        int keySizeBytes = 8;
        @Option(names = "--val-size", description = "value bytes (default: ${DEFAULT-VALUE})")
        int valSizeBytes = 256;
        @Option(names = "--key-space", description = "distinct keys (default: ${DEFAULT-VALUE})")
        long keySpace = 100_000;
        @Option(names = "--sequential-keys", description = "keys in order instead of random")
        boolean sequentialKeys;
        @Option(names = "--rate", description = "most requests started per second, 0 = no limit (default: 0)")
        double ratePerSecond;
        @Option(names = "--timeout", description = "deadline of each request (default: ${DEFAULT-VALUE})")
        String timeout = "30s";
        @Option(names = "--json", description = "also write the result as JSON to this file")
        Path jsonFile;
        @Option(names = "--output", description = "table or json on standard output (default: ${DEFAULT-VALUE})")
        String output = "table";
        @Option(names = "--no-progress", description = "no progress bar, even on a terminal")
        boolean noProgress;
        @Option(names = "--cpu-pids", split = ",", description = "also report the CPU time these processes "
            + "(e.g. the servers) used in the measured window")
        List<Long> cpuPids = List.of();

        abstract Workload workload();

        boolean serializable() {
            return false;
        }

        double readFraction() {
            return 0;
        }

        @Override
        public Integer call() throws Exception {
            final LoadSpec spec;
            try {
                final long durationMs = total > 0 && duration == null ? 0 : millis(duration == null ? "10s" : duration);
                spec = new LoadSpec(workload(), Target.parse(target), endpoints, clients, conns, total, durationMs,
                    millis(warmup), keySizeBytes, valSizeBytes, keySpace, sequentialKeys, ratePerSecond,
                    serializable(), readFraction(), millis(timeout));
                if (!output.equals("table") && !output.equals("json")) {
                    throw new IllegalArgumentException("--output must be table or json, not '" + output + "'");
                }
            } catch (final IllegalArgumentException e) {
                throw new ParameterException(commandSpec.commandLine(), e.getMessage(), e);
            }
            final LoadResult result = Bench.run(spec, noProgress ? Progress.none() : Progress.onTerminal(true),
                cpuPids);
            if (jsonFile != null) {
                if (jsonFile.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(jsonFile.toAbsolutePath().getParent());
                }
                Files.writeString(jsonFile, result.toJson() + "\n");
            }
            out.print(output.equals("json") ? result.toJson() + "\n" : ResultTable.format(result));
            out.flush();
            return result.total().count() > 0 ? 0 : 1;
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

    /** "500ms", "10s", "1.5m" in milliseconds. */
    static long millis(final String text) {
        final Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 10s or 2m");
        }
        final double n = Double.parseDouble(m.group(1));
        return Math.round(switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            default -> n * 60_000;
        });
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Puts of --val-size bytes.")
    static final class Put extends WorkloadCommand {
        @Override
        Workload workload() {
            return Workload.PUT;
        }
    }

    @Command(name = "range", mixinStandardHelpOptions = true, description = "Single-key reads.")
    static final class Range extends WorkloadCommand {
        @Option(names = "--consistency", description = "l (linearizable) or s (serializable) (default: l)")
        String consistency = "l";

        @Override
        Workload workload() {
            return Workload.RANGE;
        }

        @Override
        boolean serializable() {
            return consistencyIsSerializable(consistency);
        }
    }

    @Command(name = "txn-cas", mixinStandardHelpOptions = true,
        description = "Compare-and-swap transactions, one key per client.")
    static final class TxnCas extends WorkloadCommand {
        @Override
        Workload workload() {
            return Workload.TXN_CAS;
        }
    }

    @Command(name = "mixed", mixinStandardHelpOptions = true, description = "Reads and puts.")
    static final class Mixed extends WorkloadCommand {
        @Option(names = "--read-fraction", description = "share of reads, 0..1 (default: ${DEFAULT-VALUE})")
        double fraction = 0.5;
        @Option(names = "--consistency", description = "l (linearizable) or s (serializable) (default: l)")
        String consistency = "l";

        @Override
        Workload workload() {
            return Workload.MIXED;
        }

        @Override
        boolean serializable() {
            return consistencyIsSerializable(consistency);
        }

        @Override
        double readFraction() {
            return fraction;
        }
    }

    private static boolean consistencyIsSerializable(final String c) {
        return switch (c) {
            case "l" -> false;
            case "s" -> true;
            default -> throw new IllegalArgumentException("--consistency must be l or s, not '" + c + "'");
        };
    }
}

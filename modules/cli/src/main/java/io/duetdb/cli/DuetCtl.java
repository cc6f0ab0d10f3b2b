package io.duetdb.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code duetctl}: the admin command line. Exit codes: 0 ok, 1 an error from the cluster (or a
 * failed check), 2 bad usage.
 */
@Command(name = "duetctl", mixinStandardHelpOptions = true, versionProvider = DuetCtl.Version.class,
    description = "Talk to a Duet cluster: keys, members, endpoints, snapshots; inspect logs offline.",
    subcommands = {GetCommand.class, PutCommand.class, DelCommand.class, TxnCommand.class, MemberCommand.class,
        MoveLeaderCommand.class, EndpointCommand.class, SnapshotCommand.class, CheckCommand.class,
        WalCommand.class, VoteGuardCommand.class, CompletionCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 error from the cluster or a failed check, 2 bad usage.",
        "Docs: docs/cli.md"})
public final class DuetCtl implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;

    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Runs duetctl with {@code args}, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(final PrintWriter out, final PrintWriter err, final String... args) {
        final CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        final int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static CommandLine commandLine() {
        final CommandLine cli = new CommandLine(new DuetCtl());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("Error: " + Advice.explain(ex));
            return ex instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_ERROR;
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            final PrintWriter err = ex.getCommandLine().getErr();
            err.println("Error: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_USAGE;
        });
        return cli;
    }

    public static void main(final String[] args) {
        Logging.quiet();
        final PrintWriter out = new PrintWriter(System.out, true);
        final PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /** The version in the jar's manifest (unknown when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String v = DuetCtl.class.getPackage().getImplementationVersion();
            return new String[] {"duetctl " + (v == null ? "(development build)" : v)};
        }
    }
}

package io.duetdb.cli;

import io.duetdb.client.DuetClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after its name ({@code scope = INHERIT}: picocli sets them
 * on the root command's instance, which {@link #of} finds).
 */
public final class GlobalOptions {
    /** The attempt deadline inside one command's overall {@code --timeout}. */
    private static final Duration MAX_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--endpoints", scope = ScopeType.INHERIT, split = ",", paramLabel = "HOST:PORT[,HOST:PORT...]",
        defaultValue = "${env:DUETCTL_ENDPOINTS:-127.0.0.1:2379}",
        description = "Duet API endpoints (env DUETCTL_ENDPOINTS; default ${DEFAULT-VALUE})")
    List<String> endpoints;

    @Option(names = {"-w", "--write-out"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
        description = "table, json or simple (default: simple for key commands, table for the others)")
    OutputFormat writeOut;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, defaultValue = "10s", paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "deadline of each command's calls, e.g. 500ms, 10s, 2m (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "PEM CA bundle to verify the servers: turns TLS on")
    Path caFile;

    @Option(names = "--cert", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "PEM client certificate chain, for servers that require one (with --key and --cacert)")
    Path certFile;

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "PEM PKCS#8 private key of --cert")
    Path keyFile;

    /** The global options of the command line {@code spec} belongs to. */
    static GlobalOptions of(final CommandLine.Model.CommandSpec spec) {
        return ((DuetCtl) spec.root().userObject()).global;
    }

    /** A client over {@link #endpoints}, or over {@code override} when given. */
    DuetClient client(final CommandLine.Model.CommandSpec spec, final List<String> override) {
        if ((certFile == null) != (keyFile == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cert and --key go together");
        }
        if (certFile != null && caFile == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cert needs --cacert (TLS)");
        }
        final List<String> targets = override != null ? override : endpoints;
        for (final String endpoint : targets) {
            if (!endpoint.matches("[^:/\\s]+:\\d{1,5}") && !endpoint.matches("\\[[0-9a-fA-F:.]+]:\\d{1,5}")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "endpoint '" + endpoint + "' is not HOST:PORT (e.g. 127.0.0.1:2379)");
            }
        }
        final DuetClient.Builder b = DuetClient.builder().endpoints(targets).requestTimeout(timeout)
            .attemptTimeout(timeout.compareTo(MAX_ATTEMPT_TIMEOUT) < 0 ? timeout : MAX_ATTEMPT_TIMEOUT);
        if (caFile != null) {
            b.trustedCaFile(caFile);
        }
        if (certFile != null) {
            b.clientCertificate(certFile, keyFile);
        }
        return b.build();
    }

    DuetClient client(final CommandLine.Model.CommandSpec spec) {
        return client(spec, null);
    }

    Output output(final CommandLine.Model.CommandSpec spec, final OutputFormat preferred) {
        final PrintWriter out = spec.commandLine().getOut();
        return new Output(writeOut != null ? writeOut : preferred, out);
    }

    /** Durations as {@code 500ms}, {@code 10s}, {@code 2m} or a bare number of seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(final String text) {
            final String t = text.trim().toLowerCase();
            final Duration d;
            try {
                if (t.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                } else if (t.endsWith("s")) {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
                } else if (t.endsWith("m")) {
                    d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
                } else {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
                }
            } catch (final NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a duration like 500ms, 10s or 2m");
            }
            if (d.isNegative() || d.isZero()) {
                throw new CommandLine.TypeConversionException("'" + text + "' must be positive");
            }
            return d;
        }
    }
}

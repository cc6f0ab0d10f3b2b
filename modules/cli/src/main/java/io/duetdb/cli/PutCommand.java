package io.duetdb.cli;

import io.duetdb.client.Bytes;
import io.duetdb.client.DuetClient;
import io.duetdb.client.Op;
import io.duetdb.client.PutOp;
import io.duetdb.client.PutResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "put", mixinStandardHelpOptions = true, description = {
    "Writes a key. The value is the second argument, or standard input when it is left out.",
    "Examples:", "  duetctl put greeting hello", "  duetctl put config/app.yaml < app.yaml"})
final class PutCommand implements Callable<Integer> {
    /** Values read from stdin stop here: one more byte than the server's default value limit (1 MiB). */
    static final int MAX_STDIN_VALUE_BYTES = (1 << 20) + 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "default: read standard input")
    String value;

    @Option(names = "--prev-kv", description = "print the value it replaced")
    boolean prevKv;

    @Override
    public Integer call() throws IOException {
        final Bytes v = value != null ? Bytes.of(value) : Bytes.of(readStdin());
        PutOp op = Op.put(Bytes.of(key), v);
        if (prevKv) {
            op = op.withPrevKv();
        }
        final GlobalOptions global = GlobalOptions.of(spec);
        try (DuetClient client = global.client(spec)) {
            final PutResult result = client.kv().put(op);
            final List<String> lines = new ArrayList<>(List.of("OK"));
            result.previous().ifPresent(p -> {
                lines.add(p.key().toStringUtf8());
                lines.add(p.value().toStringUtf8());
            });
            global.output(spec, OutputFormat.simple).print(
                Views.map("header", Views.header(result.header()),
                    "prev_kv", result.previous().map(Views::kv).orElse(null)),
                new Output.Table(List.of("KEY", "REVISION", "PREVIOUS VALUE"), List.of(List.of(key,
                    Long.toString(result.header().revision()),
                    result.previous().map(p -> p.value().toStringUtf8()).orElse("")))),
                lines);
        }
        return DuetCtl.EXIT_OK;
    }

    private static byte[] readStdin() throws IOException {
        // Past the limit the server refuses the value and names the limit; reading on only wastes memory.
        return System.in.readNBytes(MAX_STDIN_VALUE_BYTES);
    }
}

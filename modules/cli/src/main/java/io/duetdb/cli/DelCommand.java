package io.duetdb.cli;

import io.duetdb.client.DeleteOp;
import io.duetdb.client.DeleteResult;
import io.duetdb.client.DuetClient;
import io.duetdb.client.KeyValue;
import io.duetdb.client.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "del", mixinStandardHelpOptions = true, description = {
    "Deletes a key, the keys under a prefix (--prefix) or a range (KEY --to END). Prints how many were deleted.",
    "Examples:", "  duetctl del greeting", "  duetctl del --prefix jobs/ --prev-kv"})
final class DelCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Option(names = "--prefix", description = "every key starting with KEY")
    boolean prefix;

    @Option(names = "--to", paramLabel = "END", description = "delete [KEY, END)")
    String to;

    @Option(names = "--prev-kv", description = "print the deleted keys and values")
    boolean prevKv;

    @Override
    public Integer call() {
        if (prefix && to != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --prefix or --to, not both");
        }
        DeleteOp op = prefix ? Op.deletePrefix(key) : to != null ? Op.deleteRange(key, to) : Op.delete(key);
        if (prevKv) {
            op = op.withPrevKvs();
        }
        final GlobalOptions global = GlobalOptions.of(spec);
        try (DuetClient client = global.client(spec)) {
            final DeleteResult result = client.kv().delete(op);
            final List<Object> prev = new ArrayList<>();
            final List<String> lines = new ArrayList<>(List.of(Long.toString(result.deleted())));
            for (final KeyValue kv : result.prevKvs()) {
                prev.add(Views.kv(kv));
                lines.add(kv.key().toStringUtf8());
                lines.add(kv.value().toStringUtf8());
            }
            global.output(spec, OutputFormat.simple).print(
                Views.map("header", Views.header(result.header()), "deleted", result.deleted(), "prev_kvs", prev),
                new Output.Table(List.of("DELETED", "REVISION"), List.of(List.of(Long.toString(result.deleted()),
                    Long.toString(result.header().revision())))),
                lines);
        }
        return DuetCtl.EXIT_OK;
    }
}

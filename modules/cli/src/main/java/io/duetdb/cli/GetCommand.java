package io.duetdb.cli;

import io.duetdb.client.Bytes;
import io.duetdb.client.DuetClient;
import io.duetdb.client.KeyValue;
import io.duetdb.client.RangeQuery;
import io.duetdb.client.RangeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true, description = {
    "Reads one key, the keys under a prefix (--prefix), or a key range (--from/--to).",
    "Reads are linearizable unless --serializable (then served from the endpoint's own copy).",
    "Examples:", "  duetctl get greeting", "  duetctl get --prefix jobs/ --limit 10 -w json",
    "  duetctl get --from a --to m --keys-only"})
final class GetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "the key (or the prefix, with --prefix)")
    String key;

    @Option(names = "--prefix", description = "every key starting with KEY")
    boolean prefix;

    @Option(names = "--from", paramLabel = "KEY", description = "range start (inclusive)")
    String from;

    @Option(names = "--to", paramLabel = "KEY", description = "range end (exclusive; default: the end of the key space)")
    String to;

    @Option(names = "--limit", paramLabel = "N", description = "return at most N keys (0: no limit)")
    long limit;

    @Option(names = "--keys-only", description = "keys without values")
    boolean keysOnly;

    @Option(names = "--count-only", description = "only the number of keys")
    boolean countOnly;

    @Option(names = "--serializable", description = "read the endpoint's own copy (faster, may be stale)")
    boolean serializable;

    @Override
    public Integer call() {
        final RangeQuery query = query();
        final GlobalOptions global = GlobalOptions.of(spec);
        try (DuetClient client = global.client(spec)) {
            final RangeResult result = client.kv().range(query);
            print(global.output(spec, OutputFormat.simple), result);
        }
        return DuetCtl.EXIT_OK;
    }

    private RangeQuery query() {
        if (limit < 0) {
            throw usage("--limit must be >= 0");
        }
        RangeQuery q;
        if (from != null || to != null) {
            if (key != null || prefix) {
                throw usage("give KEY (optionally with --prefix) or --from/--to, not both");
            }
            if (from == null) {
                throw usage("--to needs --from");
            }
            q = to == null ? RangeQuery.from(Bytes.of(from)) : RangeQuery.range(from, to);
        } else if (key == null) {
            throw usage("give a KEY, KEY --prefix, or --from KEY [--to KEY]");
        } else {
            q = prefix ? RangeQuery.prefix(key) : RangeQuery.key(key);
        }
        if (limit > 0) {
            q = q.limit(limit);
        }
        if (keysOnly) {
            q = q.keysOnly();
        }
        if (countOnly) {
            q = q.countOnly();
        }
        return serializable ? q.serializable() : q;
    }

    private void print(final Output out, final RangeResult result) {
        final List<Object> kvs = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        for (final KeyValue kv : result.kvs()) {
            kvs.add(Views.kv(kv));
            rows.add(List.of(kv.key().toStringUtf8(), keysOnly ? "" : kv.value().toStringUtf8(),
                Long.toString(kv.version()), Long.toString(kv.createRevision()), Long.toString(kv.modRevision())));
            lines.add(kv.key().toStringUtf8());
            if (!keysOnly) {
                lines.add(kv.value().toStringUtf8());
            }
        }
        if (countOnly) {
            lines.add(Long.toString(result.count()));
        }
        out.print(Views.map("header", Views.header(result.header()), "kvs", kvs, "count", result.count(),
                "more", result.more()),
            new Output.Table(List.of("KEY", "VALUE", "VERSION", "CREATE REV", "MOD REV"), rows), lines);
    }

    private CommandLine.ParameterException usage(final String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}

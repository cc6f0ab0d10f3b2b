package io.duetdb.cli;

import io.duetdb.client.Compare;
import io.duetdb.client.DeleteResult;
import io.duetdb.client.DuetClient;
import io.duetdb.client.KeyValue;
import io.duetdb.client.Op;
import io.duetdb.client.OpResult;
import io.duetdb.client.PutResult;
import io.duetdb.client.RangeResult;
import io.duetdb.client.TxnResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "txn", mixinStandardHelpOptions = true, description = {
    "Runs a transaction: if every compare holds, the --then requests run, else the --else requests.",
    "  compare:  value(KEY) = VALUE | version(KEY) > 0 | create(KEY) = 0 | mod(KEY) < 42   (= != < >)",
    "  request:  get KEY [--prefix] | put KEY VALUE | del KEY [--prefix]",
    "With -i, reads the compares, then the success requests, then the failure requests from standard",
    "input, one per line, each list ended by an empty line (as etcdctl txn -i).",
    "Examples:",
    "  duetctl txn --if 'value(lock) = free' --then 'put lock me' --else 'get lock'",
    "  duetctl txn --if 'version(job/1) = 0' --then 'put job/1 new'       # create only if absent"})
final class TxnCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--if", paramLabel = "COMPARE", description = "a compare (repeatable; all must hold)")
    List<String> compares = new ArrayList<>();

    @Option(names = "--then", paramLabel = "REQUEST", description = "a request run when the compares hold (repeatable)")
    List<String> success = new ArrayList<>();

    @Option(names = "--else", paramLabel = "REQUEST", description = "a request run otherwise (repeatable)")
    List<String> failure = new ArrayList<>();

    @Option(names = {"-i", "--interactive"}, description = "read the transaction from standard input")
    boolean interactive;

    @Override
    public Integer call() throws IOException {
        if (interactive) {
            if (!compares.isEmpty() || !success.isEmpty() || !failure.isEmpty()) {
                throw usage("give -i or --if/--then/--else, not both");
            }
            readInteractively();
        } else if (compares.isEmpty() && success.isEmpty() && failure.isEmpty()) {
            throw usage("give --if/--then/--else, or -i to type the transaction");
        }
        final List<Compare> when = parse(compares, TxnParser::compare);
        final List<Op> then = parse(success, TxnParser::request);
        final List<Op> otherwise = parse(failure, TxnParser::request);
        final GlobalOptions global = GlobalOptions.of(spec);
        try (DuetClient client = global.client(spec)) {
            final TxnResult result = client.kv().txn().when(when.toArray(Compare[]::new)).then(then.toArray(Op[]::new))
                .otherwise(otherwise.toArray(Op[]::new)).commit();
            print(global.output(spec, OutputFormat.simple), result, result.succeeded() ? success : failure);
        }
        return DuetCtl.EXIT_OK;
    }

    private void readInteractively() throws IOException {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        final boolean prompt = System.console() != null;
        final PrintWriter err = spec.commandLine().getErr();
        readSection(in, prompt, err, "compares:", compares);
        readSection(in, prompt, err, "success requests (get, put, del):", success);
        readSection(in, prompt, err, "failure requests (get, put, del):", failure);
    }

    private static void readSection(final BufferedReader in, final boolean prompt, final PrintWriter err,
                                    final String title, final List<String> into) throws IOException {
        if (prompt) {
            err.println(title);
            err.flush();
        }
        for (String line = in.readLine(); line != null && !line.isBlank(); line = in.readLine()) {
            into.add(line.trim());
        }
    }

    private <T> List<T> parse(final List<String> texts, final Function<String, T> parser) {
        final List<T> out = new ArrayList<>();
        for (final String text : texts) {
            try {
                out.add(parser.apply(text));
            } catch (final IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return out;
    }

    private static void print(final Output out, final TxnResult result, final List<String> ran) {
        final List<Object> results = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        final List<String> lines = new ArrayList<>(List.of(result.succeeded() ? "SUCCESS" : "FAILURE"));
        for (int i = 0; i < result.results().size(); i++) {
            final OpResult r = result.results().get(i);
            final String request = i < ran.size() ? ran.get(i) : "";
            if (r instanceof RangeResult range) {
                final List<Object> kvs = new ArrayList<>();
                for (final KeyValue kv : range.kvs()) {
                    kvs.add(Views.kv(kv));
                    lines.add(kv.key().toStringUtf8());
                    lines.add(kv.value().toStringUtf8());
                }
                results.add(Views.map("type", "get", "kvs", kvs, "count", range.count()));
                rows.add(List.of(request, range.count() + " key(s)"));
            } else if (r instanceof PutResult put) {
                lines.add("OK");
                results.add(Views.map("type", "put", "prev_kv", put.previous().map(Views::kv).orElse(null)));
                rows.add(List.of(request, "OK"));
            } else if (r instanceof DeleteResult del) {
                lines.add(Long.toString(del.deleted()));
                results.add(Views.map("type", "del", "deleted", del.deleted()));
                rows.add(List.of(request, del.deleted() + " deleted"));
            }
        }
        out.print(Views.map("header", Views.header(result.header()), "succeeded", result.succeeded(),
                "results", results),
            new Output.Table(List.of(result.succeeded() ? "SUCCESS: REQUEST" : "FAILURE: REQUEST", "RESULT"), rows),
            lines);
    }

    private CommandLine.ParameterException usage(final String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}

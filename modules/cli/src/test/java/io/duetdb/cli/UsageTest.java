package io.duetdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.client.Compare;
import io.duetdb.client.DeleteOp;
import io.duetdb.client.PutOp;
import io.duetdb.client.RangeQuery;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage errors (exit 2), the unreachable-endpoint advice (exit 1), the txn language; no cluster needed. */
class UsageTest {
    @Test
    void badUsageExitsWithTwoAndSaysWhatIsWrong() {
        record Case(List<String> args, String says) {
        }
        for (final Case c : List.of(
            new Case(List.of(), "a command is required"),
            new Case(List.of("get"), "give a KEY"),
            new Case(List.of("get", "k", "--bogus"), "Unknown option: '--bogus'"),
            new Case(List.of("get", "k", "--from", "a"), "not both"),
            new Case(List.of("get", "k", "--limit", "-1"), "--limit must be >= 0"),
            new Case(List.of("--timeout", "soon", "get", "k"), "is not a duration"),
            new Case(List.of("--endpoints", "no-port", "get", "k"), "is not HOST:PORT"),
            new Case(List.of("txn"), "give --if/--then/--else"),
            new Case(List.of("txn", "--if", "value(k) ~ v"), "is not TARGET(KEY) OP VALUE"),
            new Case(List.of("txn", "--if", "version(k) = x"), "compares with a number"),
            new Case(List.of("txn", "--then", "put k"), "is not one of: get KEY"),
            new Case(List.of("move-leader"), "give a member ID or --away"),
            new Case(List.of("member", "add", "n4"), "--peer-address"),
            new Case(List.of("wal", "verify", "/nonexistent-duet-dir"), "is neither a data directory"),
            new Case(List.of("snapshot", "restore", "/nonexistent.duet", "--data-dir", "/tmp/x"), "no snapshot file"),
            new Case(List.of("check", "perf", "--load", "xl"), "Invalid value"),
            new Case(List.of("-w", "yaml", "get", "k"), "Invalid value"))) {
            final Cli r = Cli.run(c.args().toArray(String[]::new));
            assertEquals(DuetCtl.EXIT_USAGE, r.exitCode(), c.args() + ": " + r);
            assertTrue(r.err().contains(c.says()), c.args() + " should say '" + c.says() + "': " + r);
        }
    }

    @Test
    void helpWorksEverywhereAndExitsZero() {
        for (final List<String> args : List.of(List.of("--help"), List.of("get", "--help"), List.of("member", "list",
            "--help"), List.of("snapshot", "restore", "--help"), List.of("wal", "verify", "--help"))) {
            final Cli r = Cli.run(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), args + ": " + r);
            assertTrue(r.out().contains("Usage: duetctl"), args + ": " + r);
        }
    }

    @Test
    void anUnreachableEndpointExitsWithOneAndSuggestsEndpointHealth() throws Exception {
        final int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        final String endpoint = "127.0.0.1:" + port;
        final Cli r = Cli.run("--endpoints", endpoint, "--timeout", "2s", "get", "k");
        assertEquals(DuetCtl.EXIT_ERROR, r.exitCode(), r.toString());
        assertTrue(r.err().contains(endpoint) && r.err().contains("duetctl --endpoints " + endpoint + " endpoint health"),
            r.toString());
        final Cli health = Cli.run("--endpoints", endpoint, "--timeout", "2s", "endpoint", "health", "-w", "json");
        assertEquals(DuetCtl.EXIT_ERROR, health.exitCode(), health.toString());
        assertTrue(health.out().startsWith("["), health.toString());
        assertEquals(false, health.json().getAsJsonArray().get(0).getAsJsonObject().get("health").getAsBoolean(),
            health.toString());
    }

    @Test
    void theTxnLanguageParsesComparesAndRequests() {
        assertEquals(Compare.value("a b").equalTo("x\"y"), TxnParser.compare("value(\"a b\") = \"x\\\"y\""));
        assertEquals(Compare.version("k").greaterThan(0), TxnParser.compare(" version( k ) > 0"));
        assertEquals(Compare.createRevision("k").equalTo(0), TxnParser.compare("create(k) = 0"));
        assertEquals(Compare.modRevision("k").lessThan(42), TxnParser.compare("mod(k)<42"));
        assertEquals(Compare.value("k").notEqualTo("v"), TxnParser.compare("value(k) != v"));
        assertEquals(new PutOp(io.duetdb.client.Bytes.of("k"), io.duetdb.client.Bytes.of("two words"), false),
            TxnParser.request("put k \"two words\""));
        assertEquals(RangeQuery.prefix("jobs/"), TxnParser.request("get jobs/ --prefix"));
        assertEquals(RangeQuery.key("k"), TxnParser.request("get k"));
        assertEquals(io.duetdb.client.Op.deletePrefix("p"), TxnParser.request("del p --prefix"));
        assertTrue(TxnParser.request("del k") instanceof DeleteOp);
        assertEquals(List.of("a", "", "c d"), TxnParser.tokens("a \"\" \"c d\""));
    }

    @Test
    void docsCliMdDocumentsEveryCommand() throws Exception {
        final String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../../docs/cli.md"));
        final List<String> missing = new java.util.ArrayList<>();
        final java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(
            List.of(DuetCtl.commandLine()));
        while (!todo.isEmpty()) {
            final picocli.CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            if (c.getSubcommands().isEmpty() && !doc.contains(c.getCommandSpec().qualifiedName())) {
                missing.add(c.getCommandSpec().qualifiedName());
            }
            for (final picocli.CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                if (!o.longestName().equals("--help") && !o.longestName().equals("--version")
                    && !doc.contains(o.longestName())) {
                    missing.add(c.getCommandSpec().qualifiedName() + " " + o.longestName());
                }
            }
        }
        assertTrue(missing.isEmpty(), "not in docs/cli.md: " + missing);
    }

    @Test
    void tablesLineUp() {
        final String t = new Output.Table(List.of("A", "LONGER"), List.of(List.of("wide cell", "x"))).render();
        assertEquals("""
            +-----------+--------+
            | A         | LONGER |
            +-----------+--------+
            | wide cell | x      |
            +-----------+--------+
            """, t);
    }
}

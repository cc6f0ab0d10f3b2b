package io.duetdb.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.server.testing.ClusterFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The CI smoke of duet-bench: about 10 seconds of each workload against a real 3-node cluster, to
 * keep the tool working. It checks that the JSON parses and that requests succeeded, never how
 * fast: performance is measured by the side-by-side run, not in tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisabledIfSystemProperty(named = "duet.skipSlowTests", matches = "true")
class DuetBenchSmokeTest {
    private Path root;
    private ClusterFixture cluster;
    private String endpoints;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("duet-bench-smoke");
        cluster = new ClusterFixture(root, 3);
        cluster.startAll();
        cluster.awaitLeader(cluster.ids());
        endpoints = String.join(",", cluster.clientEndpoints());
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    private LoadResult run(final String... args) throws Exception {
        final Path json = root.resolve("result-" + args[0] + ".json");
        final List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoints", endpoints, "--json", json.toString(), "--no-progress"));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = BenchMain.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
            all.toArray(String[]::new));
        final String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, "duet-bench " + all + " printed:\n" + table);
        assertTrue(table.contains(args[0]), table);
        return LoadResult.fromJson(Files.readString(json));
    }

    @Test
    void putsWithSeveralClientsAndConnections() throws Exception {
        final LoadResult r = run("put", "--clients", "8", "--conns", "2", "--duration", "4s", "--warmup", "1s",
            "--sequential-keys", "--key-space", "1000");
        assertTrue(r.total().count() > 0, "no put succeeded: " + r.toJson());
        assertEquals(0, r.total().errors(), r.errorKinds().toString());
        assertEquals(r.total().count(), r.total().histogram().getTotalCount(), "the histogram holds every put");
        assertEquals(List.of("put"), List.copyOf(r.byOp().keySet()));
        assertEquals(8, r.clients());
        assertEquals(2, r.conns());
        assertTrue(r.total().latencyMs().p99() >= r.total().latencyMs().p50());
    }

    @Test
    void compareAndSwapTransactionsSwap() throws Exception {
        final LoadResult r = run("txn-cas", "--clients", "4", "--conns", "2", "--duration", "2s", "--warmup", "0s");
        assertTrue(r.casSwapped() > 0, "no compare-and-swap succeeded: " + r.toJson());
        assertEquals(r.total().count(), r.casSwapped() + r.casFailed());
    }

    @Test
    void mixedRunsReadsAndPuts() throws Exception {
        final LoadResult r = run("mixed", "--clients", "4", "--duration", "2s", "--warmup", "0s",
            "--read-fraction", "0.5", "--key-space", "100");
        assertTrue(r.byOp().get("put").count() > 0, r.toJson());
        assertTrue(r.byOp().get("range").count() > 0, r.toJson());
        assertEquals(r.byOp().get("put").count() + r.byOp().get("range").count(), r.total().count());
    }

    @Test
    void serializableRangesByTotal() throws Exception {
        final LoadResult r = run("range", "--clients", "2", "--total", "200", "--warmup", "0s", "--consistency",
            "s", "--key-space", "100");
        assertEquals(200, r.total().count(), "exactly --total requests are measured");
        assertEquals("s", r.readConsistency());
    }
}

package io.duetdb.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.bench.noop.NoopServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The generator's counting against the no-op service, which answers everything at once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoopLoadTest {
    private NoopServer noop;

    @BeforeAll
    void start() throws Exception {
        noop = NoopServer.start(0);
    }

    @AfterAll
    void stop() throws Exception {
        noop.close();
    }

    private LoadSpec spec(final Workload workload, final int clients, final int conns, final long total,
                          final double rate) {
        return new LoadSpec(workload, Target.NOOP, List.of("127.0.0.1:" + noop.port()), clients, conns, total, 0, 0,
            8, 64, 1000, true, rate, false, 0.5, 10_000);
    }

    @Test
    void totalModeMeasuresExactlyTheTotal() throws Exception {
        final long self = ProcessHandle.current().pid();
        final LoadResult r = Bench.run(spec(Workload.PUT, 16, 4, 500, 0), Progress.none(), List.of(self));
        assertEquals(500, r.total().count());
        assertEquals(java.util.Set.of("client", String.valueOf(self)), r.cpuMs().keySet(), "CPU of the given pids");
        assertEquals(0, r.total().errors());
        assertEquals(500, r.total().histogram().getTotalCount());
        assertTrue(r.drained());
    }

    @Test
    void theRateCapsRequestsPerSecond() throws Exception {
        // 100 requests at 200/s cannot take less than ~0.5 s whatever the machine: a lower bound only.
        final LoadResult r = Bench.run(spec(Workload.PUT, 8, 2, 100, 200), Progress.none());
        assertEquals(100, r.total().count());
        assertTrue(r.measuredSeconds() >= 0.45, "100 requests at 200/s took only " + r.measuredSeconds() + " s");
    }

    @Test
    void everyWorkloadRunsOnTheSameClient() throws Exception {
        for (final Workload w : Workload.values()) {
            final LoadResult r = Bench.run(spec(w, 2, 1, 50, 0), Progress.none());
            assertEquals(50, r.total().count(), w.label());
            assertEquals(w.label(), r.workload());
        }
    }

    @Test
    void theJsonRoundTripsAndTheTableNamesTheRun() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = BenchMain.execute(new PrintStream(out, true, StandardCharsets.UTF_8), "put", "--target", "noop",
            "--endpoints", "127.0.0.1:" + noop.port(), "--total", "20", "--warmup", "0s", "--output", "json");
        assertEquals(0, exit);
        final LoadResult r = LoadResult.fromJson(out.toString(StandardCharsets.UTF_8));
        assertEquals(20, r.total().count());
        assertEquals("noop", r.target());
        final String table = ResultTable.format(r);
        assertTrue(table.contains("duet-bench put -> noop"), table);
        assertTrue(table.contains("load average"), table);
    }
}

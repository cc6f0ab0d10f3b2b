package io.duetdb.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.duetdb.storage.wal.WalStats;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.statemachine.StateMachine;
import org.junit.jupiter.api.Test;

/** WalGauges, ReplicaGauges and RaftReplicaState, over a fake division (no cluster needed). */
class NodeGaugesTest {
    private final MetricRegistry registry = new MetricRegistry();

    private PromTextParser.Parsed scrape() {
        return PromTextParser.parse(new PrometheusExposition(List.of(new DropwizardSource(registry))).render());
    }

    /** An interface whose listed methods answer fixed values; anything else fails the test. */
    @SuppressWarnings("unchecked")
    private static <T> T fake(final Class<T> type, final Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (answers.containsKey(method.getName())) {
                return answers.get(method.getName());
            }
            if (method.getName().equals("toString")) {
                return "fake " + type.getSimpleName();
            }
            throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
        });
    }

    private static RaftServer.Division division(final long term, final String leader, final boolean isLeader,
                                                final long commit, final TermIndex applied) {
        final java.util.HashMap<String, Object> info = new java.util.HashMap<>();
        info.put("getCurrentTerm", term);
        info.put("getLeaderId", leader == null ? null : RaftPeerId.valueOf(leader));
        info.put("isLeader", isLeader);
        info.put("isAlive", true);
        final java.util.HashMap<String, Object> sm = new java.util.HashMap<>();
        sm.put("getLastAppliedTermIndex", applied);
        return fake(RaftServer.Division.class, Map.of(
            "getInfo", fake(DivisionInfo.class, info),
            "getRaftLog", fake(RaftLog.class, Map.of("getLastCommittedIndex", commit)),
            "getStateMachine", fake(StateMachine.class, sm)));
    }

    @Test
    void walGaugesReportEachLogAndVanishWhileStorageIsClosed() {
        final AtomicReference<List<WalStats>> stats = new AtomicReference<>(List.of());
        WalGauges.register(registry, stats::get);
        assertFalse(scrape().samples().keySet().stream().anyMatch(k -> k.startsWith("duet_wal_")),
            "nothing before the storage is open");

        stats.set(List.of(
            new WalStats("intent", "io_uring", 100, 4096, 40, 20, 2_000_000_000L, 3, 512, 2, 1L << 27, false),
            new WalStats("completion", "io_uring", 100, 5600, 10, 0, 0, 0, 0, 1, 1L << 24, true)));
        final PromTextParser.Parsed p = scrape();
        assertEquals(100, p.value("duet_wal_appended_records_total{log=\"intent\"}"));
        assertEquals(4096, p.value("duet_wal_appended_bytes_total{log=\"intent\"}"));
        assertEquals(40, p.value("duet_wal_writes_total{log=\"intent\"}"));
        assertEquals(20, p.value("duet_wal_syncs_total{log=\"intent\"}"));
        assertEquals(2.0, p.value("duet_wal_sync_seconds_total{log=\"intent\"}"));
        assertEquals(0.1, p.value("duet_wal_sync_average_seconds{log=\"intent\"}"), 1e-12);
        assertEquals(0, p.value("duet_wal_sync_average_seconds{log=\"completion\"}"), "no syncs: 0, not NaN");
        assertEquals(3, p.value("duet_wal_backpressure_waits_total{log=\"intent\"}"));
        assertEquals(512, p.value("duet_wal_queued_bytes{log=\"intent\"}"));
        assertEquals(2, p.value("duet_wal_segments{log=\"intent\"}"));
        assertEquals(1L << 24, p.value("duet_wal_disk_bytes{log=\"completion\"}"));
        assertEquals(0, p.value("duet_wal_failed{log=\"intent\"}"));
        assertEquals(1, p.value("duet_wal_failed{log=\"completion\"}"));
        assertEquals("counter", p.types().get("duet_wal_sync_seconds_total"));
        assertEquals("counter", p.types().get("duet_wal_appended_bytes_total"));
        assertEquals("gauge", p.types().get("duet_wal_queued_bytes"));
        assertEquals(DuetMetricNames.help("duet_wal_syncs_total"), p.help().get("duet_wal_syncs_total"));
    }

    @Test
    void replicaGaugesReadTheDivision() {
        final AtomicReference<RaftServer.Division> division = new AtomicReference<>();
        final AtomicReference<String> failure = new AtomicReference<>();
        ReplicaGauges.register(registry, division::get, () -> 1234, failure::get);

        PromTextParser.Parsed p = scrape();
        assertEquals(1234, p.value("duet_keys"));
        assertEquals(0, p.value("duet_replica_failed"));
        assertFalse(p.samples().containsKey("duet_raft_term"), "no division: no Raft gauges");

        division.set(division(7, "s2", false, 900, TermIndex.valueOf(7, 880)));
        failure.set("disk gone");
        p = scrape();
        assertEquals(7, p.value("duet_raft_term"));
        assertEquals(900, p.value("duet_raft_commit_index"));
        assertEquals(880, p.value("duet_raft_applied_index"));
        assertEquals(1, p.value("duet_raft_leader_known"));
        assertEquals(0, p.value("duet_raft_is_leader"));
        assertEquals(1, p.value("duet_replica_failed"));

        division.set(division(8, null, false, 900, null));
        p = scrape();
        assertEquals(0, p.value("duet_raft_leader_known"));
        assertEquals(-1, p.value("duet_raft_applied_index"), "nothing applied yet");
    }

    @Test
    void raftReplicaStateFeedsTheReadinessEvaluator() {
        final AtomicReference<RaftServer.Division> division = new AtomicReference<>();
        final AtomicReference<String> failure = new AtomicReference<>();
        final Supplier<Optional<String>> readiness = new ReadinessEvaluator(
            RaftReplicaState.of(failure::get, division::get), 10);

        assertEquals(Optional.of("the Raft server is not running"), readiness.get());
        division.set(division(3, null, false, 50, TermIndex.valueOf(3, 50)));
        assertEquals(Optional.of("no leader known"), readiness.get());
        division.set(division(3, "s1", true, 62, TermIndex.valueOf(3, 50)));
        assertEquals(Optional.of("applying: 12 behind the commit index"), readiness.get());
        division.set(division(3, "s1", true, 60, TermIndex.valueOf(3, 50)));
        assertEquals(Optional.empty(), readiness.get());
        failure.set("the completion log failed");
        assertEquals(Optional.of("replica failed: the completion log failed"), readiness.get());

        final Supplier<ReplicaState> throwing = RaftReplicaState.of(() -> null, () -> {
            throw new IllegalStateException("closed");
        });
        assertTrue(!throwing.get().raftRunning(), "a division that cannot be had counts as not running");
    }
}

package io.duetdb.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadinessEvaluatorTest {
    private final AtomicReference<ReplicaState> state =
        new AtomicReference<>(new ReplicaState(null, true, "s1", 5_000, 5_000));

    @Test
    void readyWhenHealthyWithALeaderAndCaughtUp() {
        assertEquals(Optional.empty(), new ReadinessEvaluator(state::get).get());
    }

    @Test
    void theApplyLagLimitIsInclusiveAndConfigurable() {
        state.set(new ReplicaState(null, true, "s1", 2_000, 1_000));
        assertEquals(Optional.empty(), new ReadinessEvaluator(state::get).get(), "1,000 behind is within the default");
        state.set(new ReplicaState(null, true, "s1", 2_001, 1_000));
        assertEquals(Optional.of("applying: 1001 behind the commit index"), new ReadinessEvaluator(state::get).get());
        state.set(new ReplicaState(null, true, "s1", 112, 100));
        assertEquals(Optional.of("applying: 12 behind the commit index"),
            new ReadinessEvaluator(state::get, 10).get());
        assertEquals(Optional.empty(), new ReadinessEvaluator(state::get, 12).get());
        assertThrows(IllegalArgumentException.class, () -> new ReadinessEvaluator(state::get, -1));
    }

    @Test
    void noLeaderKnown() {
        state.set(new ReplicaState(null, true, null, 10, 10));
        assertEquals(Optional.of("no leader known"), new ReadinessEvaluator(state::get).get());
    }

    @Test
    void raftNotRunning() {
        state.set(ReplicaState.raftNotRunning(null));
        assertEquals(Optional.of("the Raft server is not running"), new ReadinessEvaluator(state::get).get());
    }

    @Test
    void aFailedReplicaSaysSoBeforeAnythingElse() {
        state.set(ReplicaState.raftNotRunning("the intent log failed"));
        assertEquals(Optional.of("replica failed: the intent log failed"), new ReadinessEvaluator(state::get).get());
        state.set(new ReplicaState("bad disk", true, null, 10, 0));
        assertEquals(Optional.of("replica failed: bad disk"), new ReadinessEvaluator(state::get).get());
    }

    @Test
    void theStateIsReadAnewEachTime() {
        final ReadinessEvaluator readiness = new ReadinessEvaluator(state::get);
        assertEquals(Optional.empty(), readiness.get());
        state.set(new ReplicaState(null, true, null, 1, 1));
        assertEquals(Optional.of("no leader known"), readiness.get());
    }

    @Test
    void aFollowerStuckBelowTheLeadersCommitIndexIsNotReadyThoughItsOwnCommitIndexSaysCaughtUp() {
        // The truncated-follower case: its own commit index is capped at its stuck log's end.
        state.set(new ReplicaState(null, true, "s1", 581, 581).withLeaderCommit(1_600, 200, null));
        final Optional<String> why = new ReadinessEvaluator(state::get, 1_000).get();
        assertTrue(why.isPresent() && why.get().contains("1019 behind the leader's commit index 1600"), why.toString());
    }

    @Test
    void anAppliedIndexThatStandsStillBehindTheLeaderIsStalled() {
        final AtomicLong nowMs = new AtomicLong(1_000);
        state.set(new ReplicaState(null, true, "s1", 581, 581).withLeaderCommit(700, 100, null));
        final ReadinessEvaluator readiness = new ReadinessEvaluator(state::get, 1_000, 10_000, nowMs::get);
        assertEquals(Optional.empty(), readiness.get(), "119 behind is within the lag, and it just started");
        nowMs.addAndGet(9_999);
        assertEquals(Optional.empty(), readiness.get());
        nowMs.addAndGet(1);
        final Optional<String> why = readiness.get();
        assertTrue(why.isPresent() && why.get().startsWith("stalled: applied index 581"), why.toString());
        state.set(new ReplicaState(null, true, "s1", 600, 600).withLeaderCommit(700, 100, null));
        assertEquals(Optional.empty(), readiness.get(), "moving again");
        state.set(new ReplicaState(null, true, "s1", 700, 700).withLeaderCommit(700, 100, null));
        nowMs.addAndGet(60_000);
        assertEquals(Optional.empty(), readiness.get(), "caught up: standing still is fine");
    }

    @Test
    void aMemberThatCannotAskTheLeaderForLongIsNotReady() {
        final AtomicLong nowMs = new AtomicLong(0);
        state.set(new ReplicaState(null, true, "s1", 10, 10).withLeaderCommit(10, 9_000, "leader s1: UNAVAILABLE"));
        final ReadinessEvaluator readiness = new ReadinessEvaluator(state::get, 1_000, 10_000, nowMs::get);
        assertEquals(Optional.empty(), readiness.get());
        state.set(new ReplicaState(null, true, "s1", 10, 10).withLeaderCommit(10, 10_000, "leader s1: UNAVAILABLE"));
        final Optional<String> why = readiness.get();
        assertTrue(why.isPresent() && why.get().contains("cannot learn the leader's commit index for 10 s"), why.toString());
        state.set(new ReplicaState(null, true, "s1", 10, 10).withLeaderCommit(-1, -1, "no leader known"));
        nowMs.set(10_000);
        assertTrue(readiness.get().isPresent(), "never answered since the start");
    }

    @Test
    void livenessOnlyLooksAtTheFailure() {
        final AtomicReference<String> failure = new AtomicReference<>();
        assertEquals(Optional.empty(), ReadinessEvaluator.liveness(failure::get).get());
        failure.set("x");
        assertEquals(Optional.of("replica failed: x"), ReadinessEvaluator.liveness(failure::get).get());
    }
}

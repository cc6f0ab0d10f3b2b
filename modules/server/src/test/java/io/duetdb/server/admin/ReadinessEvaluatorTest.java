package io.duetdb.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
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
    void livenessOnlyLooksAtTheFailure() {
        final AtomicReference<String> failure = new AtomicReference<>();
        assertEquals(Optional.empty(), ReadinessEvaluator.liveness(failure::get).get());
        failure.set("x");
        assertEquals(Optional.of("replica failed: x"), ReadinessEvaluator.liveness(failure::get).get());
    }
}

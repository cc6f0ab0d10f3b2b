package io.duetdb.server.admin;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether a node should receive traffic: ready when the replica has not failed, its Raft
 * division runs, a leader is known, and the state machine has applied all but at most
 * {@code maxApplyLagEntries} of the entries this member knows to be committed. Otherwise it says
 * why, in words, for {@code /readyz}.
 *
 * <p>A member's commit index is what it learnt from the leader, so a follower that is cut off
 * still looks caught up until it notices there is no leader (an election timeout later).
 */
public final class ReadinessEvaluator implements Supplier<Optional<String>> {
    /** The default tolerated apply lag: about a second of a busy node's entries. */
    public static final long DEFAULT_MAX_APPLY_LAG_ENTRIES = 1_000;

    private final Supplier<ReplicaState> state;
    private final long maxApplyLagEntries;

    public ReadinessEvaluator(final Supplier<ReplicaState> state, final long maxApplyLagEntries) {
        if (maxApplyLagEntries < 0) {
            throw new IllegalArgumentException("maxApplyLagEntries=" + maxApplyLagEntries + " must be >= 0");
        }
        this.state = state;
        this.maxApplyLagEntries = maxApplyLagEntries;
    }

    public ReadinessEvaluator(final Supplier<ReplicaState> state) {
        this(state, DEFAULT_MAX_APPLY_LAG_ENTRIES);
    }

    /** Why the node is not ready, or empty when it is. */
    @Override
    public Optional<String> get() {
        final ReplicaState s = state.get();
        if (s.failure() != null) {
            return Optional.of("replica failed: " + s.failure());
        }
        if (!s.raftRunning()) {
            return Optional.of("the Raft server is not running");
        }
        if (s.leaderId() == null) {
            return Optional.of("no leader known");
        }
        final long behind = s.commitIndex() - s.appliedIndex();
        if (behind > maxApplyLagEntries) {
            return Optional.of("applying: " + behind + " behind the commit index");
        }
        return Optional.empty();
    }

    /** Liveness for {@code /livez}: live unless the replica failed (the reason then). */
    public static Supplier<Optional<String>> liveness(final Supplier<String> failure) {
        return () -> Optional.ofNullable(failure.get()).map(reason -> "replica failed: " + reason);
    }
}

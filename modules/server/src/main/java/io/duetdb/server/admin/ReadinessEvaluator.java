package io.duetdb.server.admin;

import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Decides whether a node should receive traffic, and says why not in words for {@code /readyz},
 * gRPC health and {@code Status}. Ready when the replica has not failed, its Raft division runs, a
 * leader is known, and the state machine is close to the <em>leader's</em> commit index:
 * <ul>
 *   <li>no more than {@code maxApplyLagEntries} behind it;</li>
 *   <li>not stalled: behind it, with an applied index that has not moved for {@code stallMs};</li>
 *   <li>able to learn it: a member that cannot ask the leader for {@code stallMs} cannot serve a
 *       linearizable read either.</li>
 * </ul>
 * A member's own commit index is what the leader last told it, capped at its own log's end, so a
 * follower whose log is stuck below the leader's looks caught up by it; hence the leader's.
 */
public final class ReadinessEvaluator implements Supplier<Optional<String>> {
    /** The default tolerated apply lag: about a second of a busy node's entries. */
    public static final long DEFAULT_MAX_APPLY_LAG_ENTRIES = 1_000;
    /** How long an applied index may stand still behind the leader, or the leader go unasked. */
    public static final long DEFAULT_STALL_MS = 10_000;

    private final Supplier<ReplicaState> state;
    private final long maxApplyLagEntries;
    private final long stallMs;
    private final LongSupplier clockMs;
    private final long createdMs;
    private long lastApplied = Long.MIN_VALUE;
    private long lastProgressMs;

    public ReadinessEvaluator(final Supplier<ReplicaState> state, final long maxApplyLagEntries, final long stallMs,
                              final LongSupplier clockMs) {
        if (maxApplyLagEntries < 0 || stallMs <= 0) {
            throw new IllegalArgumentException("maxApplyLagEntries=" + maxApplyLagEntries + " must be >= 0, stallMs="
                + stallMs + " > 0");
        }
        this.state = state;
        this.maxApplyLagEntries = maxApplyLagEntries;
        this.stallMs = stallMs;
        this.clockMs = clockMs;
        this.createdMs = clockMs.getAsLong();
        this.lastProgressMs = createdMs;
    }

    public ReadinessEvaluator(final Supplier<ReplicaState> state, final long maxApplyLagEntries) {
        this(state, maxApplyLagEntries, DEFAULT_STALL_MS, () -> System.nanoTime() / 1_000_000);
    }

    public ReadinessEvaluator(final Supplier<ReplicaState> state) {
        this(state, DEFAULT_MAX_APPLY_LAG_ENTRIES);
    }

    /** Why the node is not ready, or empty when it is. */
    @Override
    public synchronized Optional<String> get() {
        final ReplicaState s = state.get();
        final long nowMs = clockMs.getAsLong();
        if (s.failure() != null) {
            return Optional.of("replica failed: " + s.failure());
        }
        if (!s.raftRunning()) {
            return Optional.of("the Raft server is not running");
        }
        if (s.leaderId() == null) {
            return Optional.of("no leader known");
        }
        final boolean leaderAhead = s.leaderCommitIndex() > s.commitIndex();
        final long target = Math.max(s.commitIndex(), s.leaderCommitIndex());
        final long behind = target - s.appliedIndex();
        if (behind <= 0 || s.appliedIndex() != lastApplied) {
            lastProgressMs = nowMs;
        }
        lastApplied = s.appliedIndex();
        if (behind > maxApplyLagEntries) {
            return Optional.of(leaderAhead ? "applying: " + behind + " behind the leader's commit index " + target
                + " (applied " + s.appliedIndex() + ", this member's own commit index " + s.commitIndex() + ")"
                : "applying: " + behind + " behind the commit index");
        }
        if (behind > 0 && nowMs - lastProgressMs >= stallMs) {
            return Optional.of("stalled: applied index " + s.appliedIndex() + " has not moved for "
                + (nowMs - lastProgressMs) / 1000 + " s while the " + (leaderAhead ? "leader's" : "")
                + " commit index is " + target + " (" + behind + " behind)");
        }
        final long unansweredMs = s.leaderCommitAgeMs() >= 0 ? s.leaderCommitAgeMs() : nowMs - createdMs;
        if (s.leaderCommitProblem() != null && unansweredMs >= stallMs) {
            return Optional.of("cannot learn the leader's commit index for " + unansweredMs / 1000 + " s: "
                + s.leaderCommitProblem());
        }
        return Optional.empty();
    }

    /** Liveness for {@code /livez}: live unless the replica failed (the reason then). */
    public static Supplier<Optional<String>> liveness(final Supplier<String> failure) {
        return () -> Optional.ofNullable(failure.get()).map(reason -> "replica failed: " + reason);
    }
}

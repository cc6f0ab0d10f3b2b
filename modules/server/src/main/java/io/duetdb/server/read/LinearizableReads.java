package io.duetdb.server.read;

import io.duetdb.api.internal.v1.ConfirmLeaderResponse;
import io.duetdb.api.internal.v1.ReadIndexResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Linearizable reads on any member, without a log entry: a read waits for a read index (the
 * leader's {@link LeaderReadIndex confirmed commit index}; a follower asks the leader for it) and
 * then for this member to apply through it. Reads are batched: one confirmation round at a time
 * on the leader, serving its own reads and every follower's that arrived before it started, and
 * one question to the leader at a time on a follower ({@link RoundBatcher}).
 */
public final class LinearizableReads {
    private final RaftReadView raft;
    private final RoundBatcher<Long> leaderRounds;
    private final RoundBatcher<Long> followerRounds;
    private final FollowerHeartbeats heartbeats;
    private final LongFunction<CompletableFuture<Void>> whenApplied;
    private final LongSupplier appliedIndex;
    private final long applyTimeoutMs;

    /**
     * @param whenApplied completes once this member has applied through an index
     * @param appliedIndex this member's applied index, for the message when the wait times out
     * @param applyTimeoutMs how long a read waits for this member to apply through its read index
     */
    public LinearizableReads(final RaftReadView raft, final LeaderReadIndex leader, final FollowerReadIndex follower,
                             final FollowerHeartbeats heartbeats, final LongFunction<CompletableFuture<Void>> whenApplied,
                             final LongSupplier appliedIndex, final long applyTimeoutMs) {
        if (applyTimeoutMs <= 0) {
            throw new IllegalArgumentException("applyTimeoutMs=" + applyTimeoutMs + ": must be > 0");
        }
        this.raft = raft;
        this.leaderRounds = new RoundBatcher<>(leader::confirmRound);
        this.followerRounds = new RoundBatcher<>(follower::fetch);
        this.heartbeats = heartbeats;
        this.whenApplied = whenApplied;
        this.appliedIndex = appliedIndex;
        this.applyTimeoutMs = applyTimeoutMs;
    }

    /**
     * Completes once a table read on this member sees every write acknowledged before the call.
     * A leader that cannot give a read index yet (not ready in its term, or no longer the leader)
     * asks as a follower does, which retries until the read timeout; a leader that could not
     * confirm its term fails the read.
     */
    public CompletableFuture<Void> barrier() {
        return readIndex().thenCompose(index -> whenApplied.apply(index).orTimeout(applyTimeoutMs, TimeUnit.MILLISECONDS)
            .exceptionallyCompose(e -> CompletableFuture.failedFuture(e instanceof TimeoutException
                ? new NoReadIndexException(NoReadIndexException.Reason.NO_LEADER, "member " + raft.selfId()
                    + " has not applied through read index " + index + " within " + applyTimeoutMs
                    + " ms (applied: " + appliedIndex.getAsLong() + "); it is catching up, read from another member", null)
                : e)));
    }

    /**
     * A read index: the leader's commit index, confirmed by a majority in its term (on a follower,
     * asked of the leader). Every write acknowledged before the call is at or below it.
     */
    public CompletableFuture<Long> readIndex() {
        return !raft.isLeader() ? followerRounds.join()
            : leaderRounds.join().exceptionallyCompose(e -> {
                final NoReadIndexException.Reason reason = NoReadIndexException.reasonOf(e);
                return reason == NoReadIndexException.Reason.LEADER_NOT_READY
                    || reason == NoReadIndexException.Reason.NOT_LEADER
                    ? followerRounds.join() : CompletableFuture.failedFuture(e);
            });
    }

    /** The Replica service's ReadIndex, on the leader: a read index for a follower's reads. */
    public CompletableFuture<ReadIndexResponse> readIndexFor(final String requesterId) {
        return readIndexFor(requesterId, Long.MIN_VALUE);
    }

    /**
     * The same, for a requester that lost Raft log entries it had acknowledged: its log now ends at
     * {@code lostEntriesLogEnd} (below -1: it lost nothing), and the leader stops believing it
     * holds more ({@link FollowerHeartbeats#rewind}).
     */
    public CompletableFuture<ReadIndexResponse> readIndexFor(final String requesterId, final long lostEntriesLogEnd) {
        if (lostEntriesLogEnd >= -1 && raft.isLeader()) {
            heartbeats.rewind(requesterId, lostEntriesLogEnd);
        }
        if (!raft.isLeader()) {
            return CompletableFuture.failedFuture(new NoReadIndexException(NoReadIndexException.Reason.NOT_LEADER,
                raft.selfId() + " is not the leader" + (raft.leaderId().isEmpty() ? "" : "; the leader is "
                    + raft.leaderId()), raft.leaderId()));
        }
        final long term = raft.currentTerm();
        return leaderRounds.join().thenApply(index -> {
            heartbeats.trigger(requesterId); // so it learns the commit index now, not at the next heartbeat
            return ReadIndexResponse.newBuilder().setReadIndex(index).setTerm(term).setLeaderId(raft.selfId()).build();
        });
    }

    /** The Replica service's ConfirmLeader: this member's term, and the leader it knows. */
    public ConfirmLeaderResponse confirmLeader() {
        return ConfirmLeaderResponse.newBuilder().setTerm(raft.currentTerm()).setMemberId(raft.selfId())
            .setLeaderId(raft.leaderId()).build();
    }
}

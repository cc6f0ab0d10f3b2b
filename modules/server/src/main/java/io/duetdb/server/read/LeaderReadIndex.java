package io.duetdb.server.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Duet's ReadIndex on the leader, built like etcd's ReadOnlySafe rather than on Ratis 3.3.0's
 * (which answers an isolated leader's reads from an old confirmation; docs/architecture.md).
 *
 * <p>One {@link #confirmRound() round}: the leader, ready in its term T (it has applied its first
 * entry of T, so its commit index covers everything committed before T), records its commit index
 * C, then asks every other voter which term it is in. A voter still in T has not voted for a newer
 * leader; once a majority of every configuration in force (the leader included) is in T, no newer
 * leader can have been elected before the answers, so none committed a write that C misses. Every
 * write acknowledged before the round started is then at or below C, and a read served from a
 * replica that has applied through C sees it. No log entry, no fsync.
 *
 * <p>A voter in a newer term fails the round at once (the leader is deposed); a round with too
 * many voters silent, failing or behind fails as soon as a majority can no longer be reached. Each
 * question has a deadline (the {@link TermProbe}'s), so a round always ends.
 */
public final class LeaderReadIndex {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeaderReadIndex.class);
    /**
     * What the leader knows at the start of a round.
     *
     * @param addresses every voter's Duet API address by member id, for the question
     */
    public record LeaderTerm(String selfId, long term, long commitIndex, ReadQuorum quorum,
                             Map<String, String> addresses) {
    }

    /** The node's Raft state as a round starts. */
    public interface LeaderView {
        /**
         * The leader's term, commit index and voters.
         *
         * @throws NoReadIndexException NOT_LEADER or LEADER_NOT_READY
         */
        LeaderTerm currentLeaderTerm();
    }

    /** Asks a member which Raft term it is in (the Replica service's ConfirmLeader). */
    public interface TermProbe {
        CompletableFuture<Long> currentTerm(String memberId, String address, long leaderTerm);
    }

    private final LeaderView view;
    private final TermProbe probe;
    private final boolean confirmWithMajority;

    /**
     * @param confirmWithMajority false only to show that the Jepsen checker catches stale reads
     *     (read-option unconfirmed-read-index): the commit index is then given out unconfirmed,
     *     which a deposed leader answers from its frozen state
     */
    public LeaderReadIndex(final LeaderView view, final TermProbe probe, final boolean confirmWithMajority) {
        this.view = view;
        this.probe = probe;
        this.confirmWithMajority = confirmWithMajority;
    }

    /** One confirmation round: the read index, or a {@link NoReadIndexException}. */
    public CompletableFuture<Long> confirmRound() {
        final LeaderTerm leader;
        try {
            leader = view.currentLeaderTerm();
        } catch (final NoReadIndexException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!confirmWithMajority) {
            return CompletableFuture.completedFuture(leader.commitIndex());
        }
        return new Round(leader).start();
    }

    /** The answers of one round; decides once, on the first answer that settles it. */
    private final class Round {
        private final LeaderTerm leader;
        private final Set<String> acked = new LinkedHashSet<>();
        private final Set<String> refused = new LinkedHashSet<>();
        private final Map<String, String> whyRefused = new LinkedHashMap<>();
        private final CompletableFuture<Long> result = new CompletableFuture<>();

        Round(final LeaderTerm leader) {
            this.leader = leader;
        }

        CompletableFuture<Long> start() {
            final List<String> others = new ArrayList<>();
            synchronized (this) {
                for (final String voter : leader.quorum().voters()) {
                    if (voter.equals(leader.selfId())) {
                        acked.add(voter);
                    } else {
                        others.add(voter);
                    }
                }
            }
            settle(); // a single-voter cluster needs no question
            for (final String voter : others) {
                final String address = leader.addresses().get(voter);
                if (address == null) {
                    answer(voter, -1, "its API address is unknown");
                    continue;
                }
                CompletableFuture<Long> asked;
                try {
                    asked = probe.currentTerm(voter, address, leader.term());
                } catch (final RuntimeException e) {
                    asked = CompletableFuture.failedFuture(e);
                }
                asked.whenComplete((term, error) -> answer(voter, term == null ? -1 : term,
                    error == null ? null : String.valueOf(error.getMessage())));
            }
            return result;
        }

        private void answer(final String voter, final long term, final String error) {
            if (term > leader.term()) {
                result.completeExceptionally(new NoReadIndexException(NoReadIndexException.Reason.DEPOSED,
                    "leader " + leader.selfId() + " of term " + leader.term() + " is deposed: member " + voter
                        + " is in term " + term, null));
                return;
            }
            synchronized (this) {
                if (term == leader.term()) {
                    acked.add(voter);
                } else {
                    refused.add(voter);
                    whyRefused.put(voter, error != null ? error : "in older term " + term);
                }
            }
            settle();
        }

        private void settle() {
            final NoReadIndexException lost;
            synchronized (this) {
                if (result.isDone()) {
                    return;
                }
                if (leader.quorum().isReachedBy(acked)) {
                    lost = null;
                } else if (leader.quorum().isLostBy(refused)) {
                    lost = new NoReadIndexException(NoReadIndexException.Reason.NO_MAJORITY, "leader "
                        + leader.selfId() + " could not confirm term " + leader.term() + " with a majority: in term: "
                        + acked + "; not: " + whyRefused, null);
                } else {
                    return; // still waiting for answers
                }
            }
            if (lost == null) {
                result.complete(leader.commitIndex());
            } else {
                LOG.warn("{}", lost.getMessage()); // at most one round at a time, each bounded by the probe deadline
                result.completeExceptionally(lost);
            }
        }
    }
}

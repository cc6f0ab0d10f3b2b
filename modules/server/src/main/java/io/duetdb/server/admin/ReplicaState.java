package io.duetdb.server.admin;

/**
 * What readiness looks at, read at one moment.
 *
 * @param failure why the replica stopped serving, or null while healthy
 * @param raftRunning whether the Raft division exists and could be read
 * @param leaderId the leader this member knows, or null when it knows none
 * @param commitIndex the highest index this member knows to be committed (what the leader last
 *     told it, capped at its own log's end)
 * @param appliedIndex the highest index its state machine applied (-1 before any)
 * @param leaderCommitIndex the leader's own commit index as last asked of it, -1 while unknown
 * @param leaderCommitAgeMs how long ago that answer came, -1 when none ever did
 * @param leaderCommitProblem why the last question to the leader failed, or null when it was answered
 */
public record ReplicaState(String failure, boolean raftRunning, String leaderId, long commitIndex,
                           long appliedIndex, long leaderCommitIndex, long leaderCommitAgeMs,
                           String leaderCommitProblem) {

    /** A state without an answer from the leader (it has not been asked). */
    public ReplicaState(final String failure, final boolean raftRunning, final String leaderId, final long commitIndex,
                        final long appliedIndex) {
        this(failure, raftRunning, leaderId, commitIndex, appliedIndex, -1, -1, null);
    }

    /** A replica whose Raft division is not there (starting, stopping), with its failure if any. */
    public static ReplicaState raftNotRunning(final String failure) {
        return new ReplicaState(failure, false, null, -1, -1);
    }

    /** The same state with what the leader said of its commit index. */
    public ReplicaState withLeaderCommit(final long index, final long ageMs, final String problem) {
        return new ReplicaState(failure, raftRunning, leaderId, commitIndex, appliedIndex, index, ageMs, problem);
    }
}

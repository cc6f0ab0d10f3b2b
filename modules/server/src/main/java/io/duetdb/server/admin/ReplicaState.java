package io.duetdb.server.admin;

/**
 * What readiness looks at, read at one moment.
 *
 * @param failure why the replica stopped serving, or null while healthy
 * @param raftRunning whether the Raft division exists and could be read
 * @param leaderId the leader this member knows, or null when it knows none
 * @param commitIndex the highest index this member knows to be committed
 * @param appliedIndex the highest index its state machine applied (-1 before any)
 */
public record ReplicaState(String failure, boolean raftRunning, String leaderId, long commitIndex,
                           long appliedIndex) {

    /** A replica whose Raft division is not there (starting, stopping), with its failure if any. */
    public static ReplicaState raftNotRunning(final String failure) {
        return new ReplicaState(failure, false, null, -1, -1);
    }
}

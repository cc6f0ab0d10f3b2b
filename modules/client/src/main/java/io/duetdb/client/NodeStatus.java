package io.duetdb.client;

import io.duetdb.api.v1.StatusResponse;
import java.util.List;
import java.util.Map;

/**
 * One node's status ({@code Maintenance.Status}).
 *
 * @param endpoint          the endpoint that answered
 * @param header            the reply's header
 * @param memberId          the node's member id
 * @param leaderId          the leader it knows (empty: none now)
 * @param raftTerm          its Raft term
 * @param commitIndex       its Raft commit index
 * @param appliedIndex      the index it has applied to its table
 * @param digest            a digest of the whole table at {@code appliedIndex}: equal on replicas
 *                          that applied the same log
 * @param keyCount          keys in its table
 * @param snapshotIndex     the index of its newest snapshot
 * @param failure           empty when healthy; otherwise why it refuses to serve
 * @param tls               whether its API speaks TLS
 * @param apiTransport      the API's transport (io_uring, epoll or nio)
 * @param ioBackend         its log I/O backend
 * @param memoryUsedBytes   Java heap in use
 * @param walBytes          disk bytes of its logs
 * @param repairedIntents   log records it repaired from replicas since it started
 * @param recoveryActions   what its last restart recovery did, per action
 * @param spaceUsedBytes    what the replicated store costs, as counted against the space quota
 * @param spaceQuotaBytes   the node's space quota
 * @param alarms            alarms raised ("NOSPACE": writes that add bytes are refused); empty when none
 * @param voteGuard         empty while it may vote; otherwise why not (its Raft log or metadata lost
 *                          something) and what it waits for
 * @param leaderCommitIndex the leader's commit index as it last learnt it (0: unknown)
 * @param notReady          empty when ready for traffic; otherwise why not
 * @param raftLogFindings   what the check of its Raft log found at start, one line each
 */
public record NodeStatus(String endpoint, Header header, String memberId, String leaderId, long raftTerm,
                         long commitIndex, long appliedIndex, long digest, long keyCount, long snapshotIndex,
                         String failure, boolean tls, String apiTransport, String ioBackend, long memoryUsedBytes,
                         long walBytes, long repairedIntents, Map<String, Long> recoveryActions,
                         long spaceUsedBytes, long spaceQuotaBytes, List<String> alarms, String voteGuard,
                         long leaderCommitIndex, String notReady, List<String> raftLogFindings) {
    public NodeStatus {
        recoveryActions = Map.copyOf(recoveryActions);
        alarms = List.copyOf(alarms);
        raftLogFindings = List.copyOf(raftLogFindings);
    }

    static NodeStatus of(final String endpoint, final StatusResponse s) {
        return new NodeStatus(endpoint, Header.of(s.getHeader()), s.getMemberId(), s.getLeaderId(), s.getRaftTerm(),
            s.getCommitIndex(), s.getAppliedIndex(), s.getDigest(), s.getKeyCount(), s.getSnapshotIndex(),
            s.getFailure(), s.getTls(), s.getApiTransport(), s.getIoBackend(), s.getMemoryUsedBytes(),
            s.getWalBytes(), s.getRepairedIntents(), s.getRecoveryActionsMap(), s.getSpaceUsedBytes(),
            s.getSpaceQuotaBytes(), s.getAlarmsList(), s.getVoteGuard(), s.getLeaderCommitIndex(), s.getNotReady(),
            s.getRaftLogFindingsList());
    }

    /** Whether this node is the leader (by its own word). */
    public boolean isLeader() {
        return !leaderId.isEmpty() && leaderId.equals(memberId);
    }

    /** Whether the node serves (no failure reported). */
    public boolean healthy() {
        return failure.isEmpty();
    }
}

package io.duetdb.server.api;

import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.SnapshotRequest;
import io.duetdb.api.v1.SnapshotResponse;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.server.DuetNode;
import io.duetdb.server.replication.DuetStateMachine;
import io.duetdb.storage.recovery.RecoveryAction;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Map;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;

/** Node status (with the table digest to compare replicas) and on-demand snapshots. */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    private static final long SNAPSHOT_TIMEOUT_MS = 120_000;

    private final DuetNode node;

    public MaintenanceService(final DuetNode node) {
        this.node = node;
    }

    @Override
    public void status(final StatusRequest request, final StreamObserver<StatusResponse> response) {
        try {
            final RaftServer.Division division = node.division();
            final DuetStateMachine sm = node.stateMachine();
            final RaftPeerId leader = division.getInfo().getLeaderId();
            final TermIndex applied = sm.getLastAppliedTermIndex();
            final long[] digestAndKeys = sm.readTable(t -> new long[] {t.digest(), t.size()});
            final StatusResponse.Builder b = StatusResponse.newBuilder()
                .setMemberId(node.config().id())
                .setLeaderId(leader == null ? "" : leader.toString())
                .setRaftTerm(division.getInfo().getCurrentTerm())
                .setCommitIndex(division.getRaftLog().getLastCommittedIndex())
                .setAppliedIndex(applied == null ? 0 : applied.getIndex())
                .setDigest(digestAndKeys[0])
                .setKeyCount(digestAndKeys[1])
                .setSnapshotIndex(sm.snapshotIndex())
                .setRepairedIntents(node.metrics().counter("duet_repaired_intents_total").getCount())
                .setIoBackend(sm.ioBackend())
                .setFailure(sm.failure() == null ? "" : sm.failure())
                .setIntentFirstIndex(Math.max(0, sm.intentFirstIndex()))
                .setIntentLastIndex(Math.max(0, sm.intentLastIndex()));
            for (final Map.Entry<RecoveryAction, Long> e : sm.recoveryActions().entrySet()) {
                b.putRecoveryActions(e.getKey().name(), e.getValue());
            }
            response.onNext(b.build());
            response.onCompleted();
        } catch (final IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void snapshot(final SnapshotRequest request, final StreamObserver<SnapshotResponse> response) {
        try {
            final RaftClientReply reply = node.raftClient().getSnapshotManagementApi(node.selfId())
                .create(SNAPSHOT_TIMEOUT_MS);
            if (!reply.isSuccess()) {
                throw new IOException("snapshot failed: " + reply.getException());
            }
            response.onNext(SnapshotResponse.newBuilder().setIndex(reply.getLogIndex()).build());
            response.onCompleted();
        } catch (final IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }
}

package io.duetdb.server.replication;

import io.duetdb.api.internal.v1.ConfirmLeaderRequest;
import io.duetdb.api.internal.v1.ConfirmLeaderResponse;
import io.duetdb.api.internal.v1.GetIntentRequest;
import io.duetdb.api.internal.v1.GetIntentResponse;
import io.duetdb.api.internal.v1.ReadIndexRequest;
import io.duetdb.api.internal.v1.ReadIndexResponse;
import io.duetdb.api.internal.v1.ReplicaGrpc;
import io.duetdb.server.read.LinearizableReads;
import io.duetdb.server.read.NoReadIndexException;
import io.duetdb.storage.wal.IntentRecord;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The node-to-node Replica service: serves a verified local intent to a member that is repairing
 * its own copy (only a copy whose payload matches its header's CRC32C is served; anything else is
 * NOT_FOUND, so damage never spreads), and answers the ReadIndex questions ({@link LinearizableReads}).
 */
public final class ReplicaService extends ReplicaGrpc.ReplicaImplBase {
    private final String selfId;
    private final DuetStateMachine stateMachine;
    private final LinearizableReads reads;

    public ReplicaService(final String selfId, final DuetStateMachine stateMachine, final LinearizableReads reads) {
        this.selfId = selfId;
        this.stateMachine = stateMachine;
        this.reads = reads;
    }

    @Override
    public void confirmLeader(final ConfirmLeaderRequest request, final StreamObserver<ConfirmLeaderResponse> response) {
        response.onNext(reads.confirmLeader());
        response.onCompleted();
    }

    @Override
    public void readIndex(final ReadIndexRequest request, final StreamObserver<ReadIndexResponse> response) {
        reads.readIndexFor(request.getRequesterId(), request.getLostEntries() ? request.getLogEndIndex() : Long.MIN_VALUE)
            .whenComplete((r, error) -> {
            if (error == null) {
                response.onNext(r);
                response.onCompleted();
                return;
            }
            final Throwable t = error.getCause() != null && !(error instanceof NoReadIndexException) ? error.getCause()
                : error;
            final Status status = NoReadIndexException.reasonOf(t) == NoReadIndexException.Reason.NOT_LEADER
                ? Status.FAILED_PRECONDITION : Status.UNAVAILABLE;
            response.onError(status.withDescription(t.getMessage()).asRuntimeException());
        });
    }

    @Override
    public void getIntent(final GetIntentRequest request, final StreamObserver<GetIntentResponse> response) {
        final IntentRecord r = stateMachine.localIntent(request.getTerm(), request.getIndex());
        if (r == null) {
            response.onError(Status.NOT_FOUND.withDescription(selfId + " holds no verified intent (term "
                + request.getTerm() + ", index " + request.getIndex() + ")").asRuntimeException());
            return;
        }
        response.onNext(IntentRepair.response(r.term(), r.index(), r.header(), r.payload(), selfId));
        response.onCompleted();
    }
}

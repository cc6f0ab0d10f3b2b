package io.duetdb.server.replication;

import io.duetdb.api.internal.v1.GetIntentRequest;
import io.duetdb.api.internal.v1.GetIntentResponse;
import io.duetdb.api.internal.v1.ReplicaGrpc;
import io.duetdb.storage.wal.IntentRecord;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The node-to-node Replica service: serves a verified local intent to a member that is repairing
 * its own copy. Only a copy whose payload matches its header's CRC32C is served; anything else is
 * NOT_FOUND, so damage never spreads.
 */
public final class ReplicaService extends ReplicaGrpc.ReplicaImplBase {
    private final String selfId;
    private final DuetStateMachine stateMachine;

    public ReplicaService(final String selfId, final DuetStateMachine stateMachine) {
        this.selfId = selfId;
        this.stateMachine = stateMachine;
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

package io.duetdb.server.api;

import com.google.protobuf.ByteString;
import io.duetdb.api.internal.v1.WriteOutcome;
import io.duetdb.api.v1.DeleteRangeRequest;
import io.duetdb.api.v1.DeleteRangeResponse;
import io.duetdb.api.v1.KVGrpc;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.PutResponse;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.RangeResponse;
import io.duetdb.api.v1.ResponseHeader;
import io.duetdb.api.v1.TxnRequest;
import io.duetdb.api.v1.TxnResponse;
import io.duetdb.api.v1.WriteId;
import io.duetdb.server.DuetNode;
import io.duetdb.server.replication.ClientWrite;
import io.duetdb.server.replication.DuetStateMachine;
import io.duetdb.storage.table.InvalidOpException;
import io.duetdb.storage.table.Op;
import io.duetdb.storage.table.OpValidator;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The public KV service: writes go through the write batcher, reads through a ReadIndex barrier. */
public final class KvService extends KVGrpc.KVImplBase {
    private final DuetNode node;
    private final OpValidator validator;
    private final int maxRequestBytes;

    public KvService(final DuetNode node) {
        this.node = node;
        this.validator = new OpValidator(node.config().requestLimits().tableLimits());
        this.maxRequestBytes = node.config().requestLimits().maxRequestBytes();
    }

    /** The request-size limit, checked before parsing into an op. */
    private void checkSize(final com.google.protobuf.MessageLite request) {
        final int size = request.getSerializedSize();
        if (size > maxRequestBytes) {
            throw new InvalidOpException("request of " + size + " bytes exceeds the limit of " + maxRequestBytes
                + " bytes (max-request-bytes)");
        }
    }

    @Override
    public void range(final RangeRequest request, final StreamObserver<RangeResponse> response) {
        final Op.Range op;
        try {
            checkSize(request);
            op = ProtoMapping.toOp(request);
            validator.validateBatch(List.of(op));
        } catch (final IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        final CompletableFuture<Void> ready = request.getSerializable() ? CompletableFuture.completedFuture(null)
            : node.readBarrier();
        ready.thenApply(ignored -> {
            final String failure = node.stateMachine().failure();
            if (failure != null) {
                throw Status.UNAVAILABLE.withDescription("this node stopped serving: " + failure).asRuntimeException();
            }
            return node.stateMachine().readTable(table -> ProtoMapping.toProto(table.range(op.key(), op.rangeEnd(),
                op.limit(), op.keysOnly(), op.countOnly())).setHeader(header(table.lastAppliedRevision())).build());
        }).whenComplete((r, error) -> reply(response, r, error));
    }

    @Override
    public void put(final PutRequest request, final StreamObserver<PutResponse> response) {
        write(request.getWriteId(), () -> ProtoMapping.toOp(checked(request)), response, o -> o.getStatus()
            == WriteOutcome.Status.APPLIED ? o.getPut().toBuilder().setHeader(header(o.getRevision())).build()
            : PutResponse.newBuilder().setHeader(header(o.getRevision())).setDuplicate(true).build());
    }

    @Override
    public void deleteRange(final DeleteRangeRequest request, final StreamObserver<DeleteRangeResponse> response) {
        write(request.getWriteId(), () -> ProtoMapping.toOp(checked(request)), response, o -> o.getStatus()
            == WriteOutcome.Status.APPLIED ? o.getDeleteRange().toBuilder().setHeader(header(o.getRevision())).build()
            : DeleteRangeResponse.newBuilder().setHeader(header(o.getRevision())).setDuplicate(true).build());
    }

    @Override
    public void txn(final TxnRequest request, final StreamObserver<TxnResponse> response) {
        write(request.getWriteId(), () -> ProtoMapping.toOp(checked(request)), response, o -> o.getStatus()
            == WriteOutcome.Status.APPLIED ? o.getTxn().toBuilder().setHeader(header(o.getRevision())).build()
            : TxnResponse.newBuilder().setHeader(header(o.getRevision())).setDuplicate(true).build());
    }

    private <R extends com.google.protobuf.MessageLite> R checked(final R request) {
        checkSize(request);
        return request;
    }

    private <T> void write(final WriteId id, final java.util.function.Supplier<Op> op,
                           final StreamObserver<T> response, final Function<WriteOutcome, T> toResponse) {
        final ClientWrite write;
        try {
            final Op parsed = op.get();
            validator.validateBatch(List.of(parsed));
            write = toClientWrite(id, parsed);
        } catch (final IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        final CompletableFuture<WriteOutcome> outcome;
        try {
            final DuetStateMachine sm = node.stateMachine();
            sm.spaceQuota().checkBeforeProposing(sm.spaceUsedBytes(), () -> sm.estimateGrowthBytes(write.op()));
            outcome = node.batcher().submit(write);
        } catch (final RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        outcome.thenApply(o -> {
            if (o.getStatus() == WriteOutcome.Status.SPACE_EXCEEDED) {
                throw Status.RESOURCE_EXHAUSTED.withDescription(o.getRefusal()).asRuntimeException();
            }
            if (o.getStatus() == WriteOutcome.Status.SEQUENCE_EXPIRED) {
                throw Status.FAILED_PRECONDITION.withDescription("write id sequence " + id.getSequence()
                    + " is older than the newest " + io.duetdb.server.replication.SessionTable.WINDOW
                    + " this client session wrote: it may or may not have been applied; read the key to find out")
                    .asRuntimeException();
            }
            return toResponse.apply(o);
        }).whenComplete((r, error) -> reply(response, r, error));
    }

    static ClientWrite toClientWrite(final WriteId id, final Op op) {
        if (id.getClientId().isEmpty() && id.getSequence() == 0) {
            return ClientWrite.of(op);
        }
        if (id.getClientId().size() != 16 || id.getSequence() < 1) {
            throw new InvalidOpException("write_id needs a 16-byte client_id and a sequence >= 1 (got "
                + id.getClientId().size() + " bytes and sequence " + id.getSequence() + ")");
        }
        final ByteBuffer b = id.getClientId().asReadOnlyByteBuffer();
        return new ClientWrite(b.getLong(), b.getLong(), id.getSequence(), op);
    }

    private ResponseHeader header(final long revision) {
        return Headers.at(node, revision);
    }

    private static <T> void reply(final StreamObserver<T> response, final T value, final Throwable error) {
        if (error != null) {
            response.onError(GrpcErrors.toStatus(error));
        } else {
            response.onNext(value);
            response.onCompleted();
        }
    }

    /** For tests and tools: a 16-byte client id from two longs. */
    public static ByteString clientId(final long high, final long low) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(high).putLong(low).array());
    }

}

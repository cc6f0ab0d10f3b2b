package io.duetdb.server.api;

import com.google.protobuf.ByteString;
import io.duetdb.api.v1.DeleteRangeRequest;
import io.duetdb.api.v1.DeleteRangeResponse;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.PutResponse;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.RangeResponse;
import io.duetdb.api.v1.RequestOp;
import io.duetdb.api.v1.ResponseOp;
import io.duetdb.api.v1.TxnRequest;
import io.duetdb.api.v1.TxnResponse;
import io.duetdb.storage.table.Compare;
import io.duetdb.storage.table.InvalidOpException;
import io.duetdb.storage.table.KeyValue;
import io.duetdb.storage.table.Op;
import io.duetdb.storage.table.OpResult;
import java.util.ArrayList;
import java.util.List;

/** Between the public protobuf messages and the engine's {@link Op} / {@link OpResult}. */
public final class ProtoMapping {
    private ProtoMapping() {
    }

    public static Op.Put toOp(final PutRequest r) {
        return new Op.Put(r.getKey().toByteArray(), r.getValue().toByteArray(), r.getPrevKv());
    }

    public static Op.DeleteRange toOp(final DeleteRangeRequest r) {
        return new Op.DeleteRange(r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), r.getPrevKv());
    }

    public static Op.Range toOp(final RangeRequest r) {
        if (r.getLimit() < 0) {
            throw new InvalidOpException("range limit " + r.getLimit() + " is negative (0 means no limit)");
        }
        return new Op.Range(r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), r.getLimit(), r.getKeysOnly(),
            r.getCountOnly());
    }

    public static Op.Txn toOp(final TxnRequest r) {
        final List<Compare> compares = new ArrayList<>(r.getCompareCount());
        for (final io.duetdb.api.v1.Compare c : r.getCompareList()) {
            compares.add(toCompare(c));
        }
        return new Op.Txn(compares, toOps(r.getSuccessList(), "success"), toOps(r.getFailureList(), "failure"));
    }

    private static List<Op> toOps(final List<RequestOp> ops, final String branch) {
        final List<Op> out = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            final RequestOp op = ops.get(i);
            switch (op.getRequestCase()) {
                case REQUEST_PUT -> out.add(toOp(op.getRequestPut()));
                case REQUEST_DELETE_RANGE -> out.add(toOp(op.getRequestDeleteRange()));
                case REQUEST_RANGE -> out.add(toOp(op.getRequestRange()));
                default -> throw new InvalidOpException("txn " + branch + " op " + i + " has no request set");
            }
        }
        return out;
    }

    private static Compare toCompare(final io.duetdb.api.v1.Compare c) {
        final byte[] key = c.getKey().toByteArray();
        final Compare.Result result = switch (c.getResult()) {
            case EQUAL -> Compare.Result.EQUAL;
            case NOT_EQUAL -> Compare.Result.NOT_EQUAL;
            case GREATER -> Compare.Result.GREATER;
            case LESS -> Compare.Result.LESS;
            default -> throw new InvalidOpException("unknown compare result " + c.getResultValue());
        };
        return switch (c.getTarget()) {
            case VALUE -> Compare.value(key, result, c.getValue().toByteArray());
            case VERSION -> Compare.number(key, Compare.Target.VERSION, result, c.getVersion());
            case CREATE -> Compare.number(key, Compare.Target.CREATE_REVISION, result, c.getCreateRevision());
            case MOD -> Compare.number(key, Compare.Target.MOD_REVISION, result, c.getModRevision());
            default -> throw new InvalidOpException("unknown compare target " + c.getTargetValue());
        };
    }

    public static io.duetdb.api.v1.KeyValue toProto(final KeyValue kv) {
        return io.duetdb.api.v1.KeyValue.newBuilder().setKey(ByteString.copyFrom(kv.key()))
            .setValue(ByteString.copyFrom(kv.value())).setCreateRevision(kv.createRevision())
            .setModRevision(kv.modRevision()).setVersion(kv.version()).build();
    }

    public static PutResponse.Builder toProto(final OpResult.PutResult r) {
        final PutResponse.Builder b = PutResponse.newBuilder();
        if (r.previous() != null) {
            b.setPrevKv(toProto(r.previous()));
        }
        return b;
    }

    public static DeleteRangeResponse.Builder toProto(final OpResult.DeleteResult r) {
        final DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder().setDeleted(r.deletedCount());
        for (final KeyValue kv : r.previous()) {
            b.addPrevKvs(toProto(kv));
        }
        return b;
    }

    public static RangeResponse.Builder toProto(final OpResult.RangeResult r) {
        final RangeResponse.Builder b = RangeResponse.newBuilder().setCount(r.count()).setMore(r.more());
        for (final KeyValue kv : r.kvs()) {
            b.addKvs(toProto(kv));
        }
        return b;
    }

    public static TxnResponse.Builder toProto(final OpResult.TxnResult r) {
        final TxnResponse.Builder b = TxnResponse.newBuilder().setSucceeded(r.succeeded());
        for (final OpResult inner : r.results()) {
            final ResponseOp.Builder op = ResponseOp.newBuilder();
            if (inner instanceof OpResult.PutResult p) {
                op.setResponsePut(toProto(p));
            } else if (inner instanceof OpResult.DeleteResult d) {
                op.setResponseDeleteRange(toProto(d));
            } else if (inner instanceof OpResult.RangeResult g) {
                op.setResponseRange(toProto(g));
            } else {
                throw new IllegalStateException("nested transaction result " + inner);
            }
            b.addResponses(op);
        }
        return b;
    }
}

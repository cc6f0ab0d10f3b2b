package io.duetdb.client;

import io.duetdb.api.v1.DeleteRangeRequest;
import io.duetdb.api.v1.DeleteRangeResponse;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.PutResponse;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.RangeResponse;
import io.duetdb.api.v1.RequestOp;
import io.duetdb.api.v1.ResponseHeader;
import io.duetdb.api.v1.ResponseOp;
import io.duetdb.api.v1.TxnRequest;
import io.duetdb.api.v1.TxnResponse;
import java.util.ArrayList;
import java.util.List;

/** Between the client's types and the protobuf messages of duet.v1. */
final class Protos {
    private Protos() {
    }

    static RangeRequest toProto(final RangeQuery q) {
        return RangeRequest.newBuilder().setKey(q.key().proto()).setRangeEnd(q.rangeEnd().proto())
            .setLimit(q.limit()).setKeysOnly(q.isKeysOnly()).setCountOnly(q.isCountOnly())
            .setSerializable(q.isSerializable()).build();
    }

    static PutRequest toProto(final PutOp p) {
        return PutRequest.newBuilder().setKey(p.key().proto()).setValue(p.value().proto()).setPrevKv(p.prevKv())
            .build();
    }

    static DeleteRangeRequest toProto(final DeleteOp d) {
        return DeleteRangeRequest.newBuilder().setKey(d.key().proto()).setRangeEnd(d.rangeEnd().proto())
            .setPrevKv(d.prevKvs()).build();
    }

    static TxnRequest toProto(final List<Compare> compares, final List<Op> success, final List<Op> failure) {
        final TxnRequest.Builder b = TxnRequest.newBuilder();
        compares.forEach(c -> b.addCompare(toProto(c)));
        success.forEach(op -> b.addSuccess(toRequestOp(op)));
        failure.forEach(op -> b.addFailure(toRequestOp(op)));
        return b.build();
    }

    private static RequestOp toRequestOp(final Op op) {
        final RequestOp.Builder b = RequestOp.newBuilder();
        if (op instanceof RangeQuery q) {
            b.setRequestRange(toProto(q));
        } else if (op instanceof PutOp p) {
            b.setRequestPut(toProto(p));
        } else if (op instanceof DeleteOp d) {
            b.setRequestDeleteRange(toProto(d));
        }
        return b.build();
    }

    private static io.duetdb.api.v1.Compare toProto(final Compare c) {
        final io.duetdb.api.v1.Compare.Builder b = io.duetdb.api.v1.Compare.newBuilder().setKey(c.key().proto())
            .setResult(switch (c.operator()) {
                case EQUAL -> io.duetdb.api.v1.Compare.CompareResult.EQUAL;
                case NOT_EQUAL -> io.duetdb.api.v1.Compare.CompareResult.NOT_EQUAL;
                case LESS -> io.duetdb.api.v1.Compare.CompareResult.LESS;
                case GREATER -> io.duetdb.api.v1.Compare.CompareResult.GREATER;
            });
        return switch (c.target()) {
            case VALUE -> b.setTarget(io.duetdb.api.v1.Compare.CompareTarget.VALUE).setValue(c.value().proto()).build();
            case VERSION -> b.setTarget(io.duetdb.api.v1.Compare.CompareTarget.VERSION).setVersion(c.number()).build();
            case CREATE_REVISION -> b.setTarget(io.duetdb.api.v1.Compare.CompareTarget.CREATE)
                .setCreateRevision(c.number()).build();
            case MOD_REVISION -> b.setTarget(io.duetdb.api.v1.Compare.CompareTarget.MOD).setModRevision(c.number())
                .build();
        };
    }

    static RangeResult fromProto(final RangeResponse r, final ResponseHeader header) {
        return new RangeResult(Header.of(header), keyValues(r.getKvsList()), r.getMore(), r.getCount());
    }

    static PutResult fromProto(final PutResponse r, final ResponseHeader header) {
        return new PutResult(Header.of(header), r.hasPrevKv() ? KeyValue.of(r.getPrevKv()) : null, r.getDuplicate());
    }

    static DeleteResult fromProto(final DeleteRangeResponse r, final ResponseHeader header) {
        return new DeleteResult(Header.of(header), r.getDeleted(), keyValues(r.getPrevKvsList()), r.getDuplicate());
    }

    static TxnResult fromProto(final TxnResponse r) {
        final List<OpResult> results = new ArrayList<>(r.getResponsesCount());
        for (final ResponseOp op : r.getResponsesList()) {
            // Ops inside a transaction carry no header of their own: they share the transaction's.
            results.add(switch (op.getResponseCase()) {
                case RESPONSE_RANGE -> fromProto(op.getResponseRange(), r.getHeader());
                case RESPONSE_PUT -> fromProto(op.getResponsePut(), r.getHeader());
                case RESPONSE_DELETE_RANGE -> fromProto(op.getResponseDeleteRange(), r.getHeader());
                case RESPONSE_NOT_SET -> throw new IllegalStateException("a transaction result without a response");
            });
        }
        return new TxnResult(Header.of(r.getHeader()), r.getSucceeded(), results, r.getDuplicate());
    }

    private static List<KeyValue> keyValues(final List<io.duetdb.api.v1.KeyValue> kvs) {
        final List<KeyValue> out = new ArrayList<>(kvs.size());
        kvs.forEach(kv -> out.add(KeyValue.of(kv)));
        return out;
    }
}

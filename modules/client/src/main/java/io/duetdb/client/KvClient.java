package io.duetdb.client;

import io.duetdb.api.v1.DeleteRangeRequest;
import io.duetdb.api.v1.DeleteRangeResponse;
import io.duetdb.api.v1.KVGrpc;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.PutResponse;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.RangeResponse;
import io.duetdb.api.v1.TxnRequest;
import io.duetdb.api.v1.TxnResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads and writes keys. Thread-safe; get it from {@link DuetClient#kv()}. String keys and values
 * are UTF-8; {@link Bytes} takes any bytes.
 *
 * <p>Reads are linearizable and go to the leader when it is known, unless
 * {@link RangeQuery#serializable()}: then any endpoint answers from its own, possibly stale,
 * state. Writes go to the leader and carry a write id, so that a retry is applied once.
 * Every method has a deadline: the client's {@code requestTimeout}, or {@link #withTimeout}'s.
 * Failures throw {@link DuetException} (the async methods complete with it).
 */
public final class KvClient {
    private final CallRunner runner;
    private final long timeoutMs;

    KvClient(final CallRunner runner, final long timeoutMs) {
        this.runner = runner;
        this.timeoutMs = timeoutMs;
    }

    /** The same client with another deadline for each call (retries included). */
    public KvClient withTimeout(final Duration timeout) {
        return new KvClient(runner, DuetClient.Builder.positiveMs(timeout, "timeout"));
    }

    /** The key's current key-value, if it exists (a linearizable read). */
    public Optional<KeyValue> get(final String key) {
        return range(RangeQuery.key(key)).first();
    }

    /** The key's current key-value, if it exists (a linearizable read). */
    public Optional<KeyValue> get(final Bytes key) {
        return range(RangeQuery.key(key)).first();
    }

    /** The keys in {@code [from, toExclusive)} with their values. */
    public RangeResult range(final String from, final String toExclusive) {
        return range(RangeQuery.range(from, toExclusive));
    }

    /** The keys that start with {@code prefix}, with their values. */
    public RangeResult prefix(final String prefix) {
        return range(RangeQuery.prefix(prefix));
    }

    /** Reads what {@code query} says (with its limit, keys-only, count-only, serializable options). */
    public RangeResult range(final RangeQuery query) {
        return Await.result(rangeAsync(query), "range");
    }

    public CompletableFuture<RangeResult> rangeAsync(final RangeQuery query) {
        final RangeRequest request = Protos.toProto(query);
        final DuetException tooLarge = runner.checkSize("range", request);
        if (tooLarge != null) {
            return CompletableFuture.failedFuture(tooLarge);
        }
        final CallSpec spec = CallSpec.of("range", CallKind.READ, query.isSerializable() ? Route.ANY : Route.LEADER,
            null, timeoutMs);
        return runner.run(spec, ignored -> (channel, deadline, observer) -> KVGrpc.newStub(channel)
            .withDeadline(deadline).range(request, observer), RangeResponse::getHeader,
            (r, ep) -> Protos.fromProto(r, r.getHeader()));
    }

    public PutResult put(final String key, final String value) {
        return put(Op.put(key, value));
    }

    public PutResult put(final Bytes key, final Bytes value) {
        return put(Op.put(key, value));
    }

    /** Sets a key; with {@link PutOp#withPrevKv()} the result carries the previous value. */
    public PutResult put(final PutOp put) {
        return Await.result(putAsync(put), "put");
    }

    public CompletableFuture<PutResult> putAsync(final PutOp put) {
        final PutRequest request = Protos.toProto(put);
        final DuetException tooLarge = runner.checkSize("put", request);
        if (tooLarge != null) {
            return CompletableFuture.failedFuture(tooLarge);
        }
        final CallSpec spec = CallSpec.of("put", CallKind.WRITE, Route.LEADER, null, timeoutMs);
        return runner.run(spec, writeId -> {
            final PutRequest withId = request.toBuilder().setWriteId(writeId).build();
            return (channel, deadline, observer) -> KVGrpc.newStub(channel).withDeadline(deadline)
                .put(withId, observer);
        }, PutResponse::getHeader, (r, ep) -> Protos.fromProto(r, r.getHeader()));
    }

    /** Deletes one key; the result says whether it existed ({@code deleted} 1 or 0). */
    public DeleteResult delete(final String key) {
        return delete(Op.delete(key));
    }

    /** Deletes every key that starts with {@code prefix}. */
    public DeleteResult deletePrefix(final String prefix) {
        return delete(Op.deletePrefix(prefix));
    }

    /**
     * Deletes a key or a range ({@link Op#delete}, {@link Op#deleteRange}, {@link Op#deletePrefix});
     * with {@link DeleteOp#withPrevKvs()} the result carries what was deleted.
     */
    public DeleteResult delete(final DeleteOp delete) {
        return Await.result(deleteAsync(delete), "delete");
    }

    public CompletableFuture<DeleteResult> deleteAsync(final DeleteOp delete) {
        final DeleteRangeRequest request = Protos.toProto(delete);
        final DuetException tooLarge = runner.checkSize("delete", request);
        if (tooLarge != null) {
            return CompletableFuture.failedFuture(tooLarge);
        }
        final CallSpec spec = CallSpec.of("delete", CallKind.WRITE, Route.LEADER, null, timeoutMs);
        return runner.run(spec, writeId -> {
            final DeleteRangeRequest withId = request.toBuilder().setWriteId(writeId).build();
            return (channel, deadline, observer) -> KVGrpc.newStub(channel).withDeadline(deadline)
                .deleteRange(withId, observer);
        }, DeleteRangeResponse::getHeader, (r, ep) -> Protos.fromProto(r, r.getHeader()));
    }

    /**
     * A new transaction: {@code kv.txn().when(compares).then(ops).otherwise(ops).commit()}.
     */
    public Txn txn() {
        return new Txn(this);
    }

    CompletableFuture<TxnResult> commitAsync(final TxnRequest request) {
        final DuetException tooLarge = runner.checkSize("txn", request);
        if (tooLarge != null) {
            return CompletableFuture.failedFuture(tooLarge);
        }
        final CallSpec spec = CallSpec.of("txn", CallKind.WRITE, Route.LEADER, null, timeoutMs);
        return runner.run(spec, writeId -> {
            final TxnRequest withId = request.toBuilder().setWriteId(writeId).build();
            return (channel, deadline, observer) -> KVGrpc.newStub(channel).withDeadline(deadline)
                .txn(withId, observer);
        }, TxnResponse::getHeader, (r, ep) -> Protos.fromProto(r));
    }
}

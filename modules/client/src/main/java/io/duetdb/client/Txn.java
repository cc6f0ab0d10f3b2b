package io.duetdb.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A transaction: if every compare holds, the {@code then} ops run, else the {@code otherwise}
 * ops; atomically, at one revision. Made by {@link KvClient#txn()}; not thread-safe while being
 * built. The server allows up to 128 compares and 128 ops per branch by default (max-txn-ops).
 *
 * <pre>{@code
 * TxnResult r = kv.txn()
 *     .when(Compare.version("lock").equalTo(0))
 *     .then(Op.put("lock", "me"))
 *     .otherwise(Op.get("lock"))
 *     .commit();
 * }</pre>
 */
public final class Txn {
    private final KvClient kv;
    private final List<Compare> compares = new ArrayList<>();
    private final List<Op> then = new ArrayList<>();
    private final List<Op> otherwise = new ArrayList<>();

    Txn(final KvClient kv) {
        this.kv = kv;
    }

    /** Adds conditions; all must hold (none: the {@code then} branch always runs). */
    public Txn when(final Compare... conditions) {
        compares.addAll(noNulls(conditions));
        return this;
    }

    /** Adds ops to run when every condition holds. */
    public Txn then(final Op... ops) {
        then.addAll(noNulls(ops));
        return this;
    }

    /** Adds ops to run when a condition does not hold. */
    public Txn otherwise(final Op... ops) {
        otherwise.addAll(noNulls(ops));
        return this;
    }

    private static <T> List<T> noNulls(final T[] items) {
        final List<T> list = Arrays.asList(items);
        if (list.contains(null)) {
            throw new IllegalArgumentException("a transaction's compares and ops must not be null");
        }
        return list;
    }

    /** Runs the transaction (retried like any write: applied once). */
    public TxnResult commit() {
        return Await.result(commitAsync(), "txn");
    }

    public CompletableFuture<TxnResult> commitAsync() {
        return kv.commitAsync(Protos.toProto(compares, then, otherwise));
    }
}

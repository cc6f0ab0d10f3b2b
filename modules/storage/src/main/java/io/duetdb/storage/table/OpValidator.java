package io.duetdb.storage.table;

import java.util.List;

/**
 * Checks a batch against the {@link Limits} and the op rules before it is logged: non-empty keys,
 * key and value sizes, no nested transactions, op counts, well-formed ranges, batch size. Each
 * failure is an {@link InvalidOpException} whose message says which op, which limit or rule (by
 * its {@code Limits} name) and the actual value.
 */
public final class OpValidator {
    private final Limits limits;

    /** @param limits the limits to enforce */
    public OpValidator(final Limits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits=null");
        }
        this.limits = limits;
    }

    /** @throws InvalidOpException naming the broken rule or limit */
    public void validateBatch(final List<Op> ops) {
        if (ops == null || ops.isEmpty()) {
            throw new InvalidOpException("the batch is empty; a batch needs 1 to " + limits.maxBatchOps()
                + " ops (maxBatchOps)");
        }
        long opCount = 0;
        for (final Op op : ops) {
            opCount += 1 + (op instanceof Op.Txn t ? t.success().size() + t.failure().size() : 0);
        }
        if (opCount > limits.maxBatchOps()) {
            throw new InvalidOpException("the batch has " + opCount + " ops (counting those inside transactions); "
                + "the limit is " + limits.maxBatchOps() + " ops (maxBatchOps)");
        }
        long bytes = 0;
        for (int i = 0; i < ops.size(); i++) {
            bytes += validate(ops.get(i), "op " + i, false);
        }
        if (bytes > limits.maxBatchBytes()) {
            throw new InvalidOpException("the batch carries " + bytes + " bytes of keys, range ends and values; "
                + "the limit is " + limits.maxBatchBytes() + " bytes (maxBatchBytes)");
        }
    }

    /** @return the key, range end and value bytes the op carries */
    private long validate(final Op op, final String where, final boolean insideTxn) {
        if (op instanceof Op.Put put) {
            key(put.key(), where + " (put)");
            value(put.value(), where + " (put)", "value");
            return put.key().length + (long) put.value().length;
        }
        if (op instanceof Op.DeleteRange d) {
            range(d.key(), d.rangeEnd(), where + " (delete range)");
            return d.key().length + lengthOf(d.rangeEnd());
        }
        if (op instanceof Op.Range r) {
            range(r.key(), r.rangeEnd(), where + " (range)");
            return r.key().length + lengthOf(r.rangeEnd());
        }
        final Op.Txn txn = (Op.Txn) op;
        if (insideTxn) {
            throw new InvalidOpException(where + " is a transaction inside a transaction; transactions cannot be "
                + "nested");
        }
        count(txn.compares().size(), where, "compares");
        count(txn.success().size(), where, "success ops");
        count(txn.failure().size(), where, "failure ops");
        long bytes = 0;
        for (int i = 0; i < txn.compares().size(); i++) {
            final Compare c = txn.compares().get(i);
            final String at = where + " compare " + i;
            key(c.key(), at);
            if (c.valueOperand() != null) {
                value(c.valueOperand(), at, "value operand");
            }
            bytes += c.key().length + lengthOf(c.valueOperand());
        }
        for (int i = 0; i < txn.success().size(); i++) {
            bytes += validate(txn.success().get(i), where + " success op " + i, true);
        }
        for (int i = 0; i < txn.failure().size(); i++) {
            bytes += validate(txn.failure().get(i), where + " failure op " + i, true);
        }
        return bytes;
    }

    private void count(final int n, final String where, final String what) {
        if (n > limits.maxOpsPerTxn()) {
            throw new InvalidOpException(where + " (txn): the transaction has " + n + " " + what + "; the limit is "
                + limits.maxOpsPerTxn() + " (maxOpsPerTxn)");
        }
    }

    private void key(final byte[] key, final String where) {
        if (key.length == 0) {
            throw new InvalidOpException(where + ": key is empty; keys must be 1 to " + limits.maxKeyBytes()
                + " bytes (maxKeyBytes)");
        }
        if (key.length > limits.maxKeyBytes()) {
            throw new InvalidOpException(where + ": key is " + key.length + " bytes; the limit is "
                + limits.maxKeyBytes() + " bytes (maxKeyBytes)");
        }
    }

    private void value(final byte[] value, final String where, final String what) {
        if (value.length > limits.maxValueBytes()) {
            throw new InvalidOpException(where + ": " + what + " is " + value.length + " bytes; the limit is "
                + limits.maxValueBytes() + " bytes (maxValueBytes)");
        }
    }

    private void range(final byte[] key, final byte[] rangeEnd, final String where) {
        key(key, where);
        if (KeyRanges.isSingleKey(rangeEnd) || KeyRanges.isToEnd(rangeEnd)) {
            return;
        }
        if (rangeEnd.length > limits.maxKeyBytes()) {
            throw new InvalidOpException(where + ": range end is " + rangeEnd.length + " bytes; the limit is "
                + limits.maxKeyBytes() + " bytes (maxKeyBytes)");
        }
        if (KeyRanges.compare(rangeEnd, key) <= 0) {
            throw new InvalidOpException(where + ": range end " + Printable.bytes(rangeEnd)
                + " is not after the key " + Printable.bytes(key) + " (give an end after the key, {0} for every key "
                + "from the key on, or no end for the key alone)");
        }
    }

    private static long lengthOf(final byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}

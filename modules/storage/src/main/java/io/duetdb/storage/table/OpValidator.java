package io.duetdb.storage.table;

import java.util.List;

/** Checks a batch against the {@link Limits} and the op rules before it is logged. */
public final class OpValidator {
    private final Limits limits;

    public OpValidator(final Limits limits) {
        this.limits = limits;
    }

    /** @throws InvalidOpException naming the broken rule or limit */
    public void validateBatch(final List<Op> ops) {
        if (ops == null || ops.isEmpty()) {
            throw new InvalidOpException("a batch needs at least one op");
        }
        final int total = countOps(ops, 0);
        if (total > limits.maxBatchOps()) {
            throw new InvalidOpException("the batch has " + total + " ops; the limit is " + limits.maxBatchOps()
                + " (maxBatchOps)");
        }
        long bytes = 0;
        for (final Op op : ops) {
            bytes += validate(op, false);
        }
        if (bytes > limits.maxBatchBytes()) {
            throw new InvalidOpException("the batch is " + bytes + " bytes; the limit is " + limits.maxBatchBytes()
                + " bytes (maxBatchBytes)");
        }
    }

    private static int countOps(final List<Op> ops, final int depth) {
        int n = 0;
        for (final Op op : ops) {
            n++;
            if (op instanceof Op.Txn txn && depth == 0) {
                n += countOps(txn.success(), 1) + countOps(txn.failure(), 1);
            }
        }
        return n;
    }

    /** @return approximate payload bytes of the op */
    private long validate(final Op op, final boolean insideTxn) {
        if (op instanceof Op.Put put) {
            key(put.key());
            if (put.value() == null) {
                throw new InvalidOpException("a put needs a value (use an empty value, not none)");
            }
            if (put.value().length > limits.maxValueBytes()) {
                throw new InvalidOpException("value is " + put.value().length + " bytes; the limit is "
                    + limits.maxValueBytes() + " bytes (maxValueBytes)");
            }
            return put.key().length + (long) put.value().length;
        }
        if (op instanceof Op.DeleteRange d) {
            key(d.key());
            range(d.key(), d.rangeEnd());
            return d.key().length + (d.rangeEnd() == null ? 0L : d.rangeEnd().length);
        }
        if (op instanceof Op.Range r) {
            key(r.key());
            range(r.key(), r.rangeEnd());
            if (r.limit() < 0) {
                throw new InvalidOpException("range limit is " + r.limit() + "; it must be >= 0 (0 = no limit)");
            }
            return r.key().length + (r.rangeEnd() == null ? 0L : r.rangeEnd().length);
        }
        final Op.Txn txn = (Op.Txn) op;
        if (insideTxn) {
            throw new InvalidOpException("transactions cannot be nested");
        }
        for (final String branch : new String[] {"compares", "success", "failure"}) {
            final int n = branch.equals("compares") ? txn.compares().size()
                : branch.equals("success") ? txn.success().size() : txn.failure().size();
            if (n > limits.maxOpsPerTxn()) {
                throw new InvalidOpException("the transaction has " + n + " " + branch + "; the limit is "
                    + limits.maxOpsPerTxn() + " (maxOpsPerTxn)");
            }
        }
        long bytes = 0;
        for (final Compare c : txn.compares()) {
            key(c.key());
            if (c.target() == null || c.result() == null) {
                throw new InvalidOpException("a compare needs a target and a result");
            }
            bytes += c.key().length + (c.valueOperand() == null ? 0 : c.valueOperand().length);
        }
        for (final Op branchOp : txn.success()) {
            bytes += validate(branchOp, true);
        }
        for (final Op branchOp : txn.failure()) {
            bytes += validate(branchOp, true);
        }
        return bytes;
    }

    private void key(final byte[] key) {
        if (key == null || key.length == 0) {
            throw new InvalidOpException("key is empty; keys must be 1 to " + limits.maxKeyBytes() + " bytes");
        }
        if (key.length > limits.maxKeyBytes()) {
            throw new InvalidOpException("key is " + key.length + " bytes; the limit is " + limits.maxKeyBytes()
                + " bytes (maxKeyBytes)");
        }
    }

    private static void range(final byte[] key, final byte[] rangeEnd) {
        if (KeyRanges.isSingleKey(rangeEnd) || KeyRanges.isToEnd(rangeEnd)) {
            return;
        }
        if (KeyRanges.compare(rangeEnd, key) <= 0) {
            throw new InvalidOpException("range end " + KeyValue.printable(rangeEnd) + " is not after its start "
                + KeyValue.printable(key) + " (use {0} for 'to the end', or omit the end for one key)");
        }
    }
}

package io.duetdb.storage.table;

/**
 * What the replicated store costs in bytes, computed from its content alone, so that every replica
 * arrives at the same number for the same log (the JVM heap is not replicated and decides nothing).
 *
 * <p>A key costs its key and value bytes plus {@link #PER_KEY_OVERHEAD_BYTES}: the skip-list node
 * and index, the map key, the {@link KeyValue} record and two array headers, as measured on a
 * 64-bit JVM with compressed pointers by {@code io.duetdb.bench.HeapCostBenchmark}
 * (docs/configuration.md#space-quota has the figures and the command). The figure is rounded up:
 * the quota should err on the side of refusing a write, not of filling the heap.
 */
public final class SpaceCost {
    /** Heap bytes of one stored key beyond its key and value bytes (measured, rounded up). */
    public static final long PER_KEY_OVERHEAD_BYTES = 160;

    private SpaceCost() {
    }

    /** The bytes one stored key costs. */
    public static long ofEntry(final long keyBytes, final long valueBytes) {
        if (keyBytes < 0 || valueBytes < 0) {
            throw new IllegalArgumentException("keyBytes=" + keyBytes + " valueBytes=" + valueBytes + " must be >= 0");
        }
        return PER_KEY_OVERHEAD_BYTES + keyBytes + valueBytes;
    }

    /** The bytes every key of {@code table} costs. */
    public static long ofTable(final KvTable table) {
        return table.approximateSizeBytes() + table.size() * PER_KEY_OVERHEAD_BYTES;
    }

    /**
     * How many bytes {@code op} would add if applied to {@code table} now; 0 for an op that adds
     * nothing. Deletes count 0 (never negative), so a transaction's growth is the sum of its puts'
     * growth in the branch its compares pick, and puts of one transaction to the same key are all
     * counted: never less than the truth, which is what a quota needs. Deterministic: the same
     * table and op give the same answer on every replica.
     */
    public static long growthBytes(final KvTable table, final Op op) {
        if (op instanceof Op.Put put) {
            final KeyValue previous = table.get(put.key());
            return previous == null ? ofEntry(put.key().length, put.value().length)
                : Math.max(0, put.value().length - (long) previous.value().length);
        }
        if (op instanceof Op.Txn txn) {
            long growth = 0;
            for (final Op branchOp : table.comparesHold(txn.compares()) ? txn.success() : txn.failure()) {
                growth = Math.addExact(growth, growthBytes(table, branchOp));
            }
            return growth;
        }
        return 0; // DeleteRange and Range add nothing
    }
}

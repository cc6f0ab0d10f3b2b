package io.duetdb.storage.table;

import java.util.List;

/** The outcome of one {@link Op}, in the same position of the batch's result list. */
public sealed interface OpResult permits OpResult.PutResult, OpResult.DeleteResult, OpResult.RangeResult,
    OpResult.TxnResult {

    /** @param previous the replaced entry, when asked for and the key existed; else null */
    record PutResult(KeyValue previous) implements OpResult {
    }

    /**
     * @param deletedCount how many keys were deleted
     * @param previous the deleted entries in key order when asked for, else empty
     */
    record DeleteResult(long deletedCount, List<KeyValue> previous) implements OpResult {
        /** Copies {@code previous}; it cannot hold more entries than were deleted. */
        public DeleteResult {
            if (previous == null || deletedCount < 0 || previous.size() > deletedCount) {
                throw new IllegalArgumentException("deletedCount=" + deletedCount + " previous.size="
                    + (previous == null ? "null" : previous.size()) + ": need 0 <= previous.size <= deletedCount");
            }
            previous = List.copyOf(previous);
        }
    }

    /**
     * @param kvs the entries returned in key order (at most the limit; none for count-only)
     * @param count how many keys the range holds in all, regardless of the limit
     * @param more whether the limit left entries out
     */
    record RangeResult(List<KeyValue> kvs, long count, boolean more) implements OpResult {
        /** Copies {@code kvs}; it cannot hold more entries than {@code count}. */
        public RangeResult {
            if (kvs == null || kvs.size() > count || (more && kvs.size() >= count)) {
                throw new IllegalArgumentException("kvs.size=" + (kvs == null ? "null" : kvs.size()) + " count=" + count
                    + " more=" + more + ": need kvs.size <= count, and kvs.size < count when more");
            }
            kvs = List.copyOf(kvs);
        }
    }

    /**
     * @param succeeded whether every compare held (the success branch ran)
     * @param results one result per op of the branch that ran
     */
    record TxnResult(boolean succeeded, List<OpResult> results) implements OpResult {
        /** Copies {@code results}. */
        public TxnResult {
            if (results == null) {
                throw new IllegalArgumentException("results=null");
            }
            results = List.copyOf(results);
        }
    }
}

package io.duetdb.storage.table;

import java.util.List;

/** The outcome of one {@link Op}. */
public sealed interface OpResult permits OpResult.PutResult, OpResult.DeleteResult, OpResult.RangeResult,
    OpResult.TxnResult {

    /** @param previous the replaced entry when asked for and present, else null */
    record PutResult(KeyValue previous) implements OpResult {
    }

    /** @param previous the deleted entries when asked for, else empty */
    record DeleteResult(long deletedCount, List<KeyValue> previous) implements OpResult {
        public DeleteResult {
            previous = List.copyOf(previous);
        }
    }

    /**
     * @param kvs the entries returned (at most the limit; empty for count-only)
     * @param count how many keys the range holds in all
     * @param more whether the limit cut the result
     */
    record RangeResult(List<KeyValue> kvs, long count, boolean more) implements OpResult {
        public RangeResult {
            kvs = List.copyOf(kvs);
        }
    }

    /** @param succeeded whether the compares held (success branch) */
    record TxnResult(boolean succeeded, List<OpResult> results) implements OpResult {
        public TxnResult {
            results = List.copyOf(results);
        }
    }
}

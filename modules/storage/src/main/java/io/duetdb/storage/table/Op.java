package io.duetdb.storage.table;

import java.util.Arrays;
import java.util.List;

/** One operation of a batch. Every op of a batch is applied at the batch's revision. */
public sealed interface Op permits Op.Put, Op.DeleteRange, Op.Range, Op.Txn {

    /** Sets a key; with {@code returnPrevious} the result carries the replaced entry. */
    record Put(byte[] key, byte[] value, boolean returnPrevious) implements Op {
        @Override
        public boolean equals(final Object o) {
            return o instanceof Put p && Arrays.equals(key, p.key) && Arrays.equals(value, p.value)
                && returnPrevious == p.returnPrevious;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Put[" + KeyValue.printable(key) + "=" + KeyValue.printable(value) + "]";
        }
    }

    /** Deletes the keys of a range (see {@link KeyRanges}). */
    record DeleteRange(byte[] key, byte[] rangeEnd, boolean returnPrevious) implements Op {
        @Override
        public boolean equals(final Object o) {
            return o instanceof DeleteRange d && Arrays.equals(key, d.key) && Arrays.equals(rangeEnd, d.rangeEnd)
                && returnPrevious == d.returnPrevious;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + Arrays.hashCode(rangeEnd);
        }

        @Override
        public String toString() {
            return "DeleteRange[" + KeyValue.printable(key) + ".." + KeyValue.printable(rangeEnd) + "]";
        }
    }

    /** Reads a range inside a transaction; {@code limit} 0 means no limit. */
    record Range(byte[] key, byte[] rangeEnd, long limit, boolean keysOnly, boolean countOnly) implements Op {
        @Override
        public boolean equals(final Object o) {
            return o instanceof Range r && Arrays.equals(key, r.key) && Arrays.equals(rangeEnd, r.rangeEnd)
                && limit == r.limit && keysOnly == r.keysOnly && countOnly == r.countOnly;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + Arrays.hashCode(rangeEnd) + Long.hashCode(limit);
        }

        @Override
        public String toString() {
            return "Range[" + KeyValue.printable(key) + ".." + KeyValue.printable(rangeEnd) + ", limit=" + limit + "]";
        }
    }

    /** If every compare holds, the success ops run, otherwise the failure ops. Not nestable. */
    record Txn(List<Compare> compares, List<Op> success, List<Op> failure) implements Op {
        public Txn {
            compares = List.copyOf(compares);
            success = List.copyOf(success);
            failure = List.copyOf(failure);
        }
    }
}

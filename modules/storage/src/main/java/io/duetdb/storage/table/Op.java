package io.duetdb.storage.table;

import java.util.Arrays;
import java.util.List;

/**
 * One operation of a batch. Every op of a batch is applied at the batch's revision. The records
 * check only their structure (no nulls where a value is required, no negative limit); sizes, empty
 * keys, range order and nesting are checked by {@link OpValidator} before a batch is logged.
 *
 * <p>Arrays are not copied on construction; the table copies what it stores.
 */
public sealed interface Op permits Op.Put, Op.DeleteRange, Op.Range, Op.Txn {

    /** Sets a key; with {@code returnPrevious} the result carries the replaced entry. */
    record Put(byte[] key, byte[] value, boolean returnPrevious) implements Op {
        /** Requires a key and a value (an empty value is fine, none is not). */
        public Put {
            if (key == null || value == null) {
                throw new IllegalArgumentException("put needs a key and a value: key=" + Printable.bytes(key)
                    + " value=" + Printable.bytes(value));
            }
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Put p && Arrays.equals(key, p.key) && Arrays.equals(value, p.value)
                && returnPrevious == p.returnPrevious;
        }

        @Override
        public int hashCode() {
            return (Arrays.hashCode(key) * 31 + Arrays.hashCode(value)) * 31 + Boolean.hashCode(returnPrevious);
        }

        @Override
        public String toString() {
            return "Put[" + Printable.bytes(key) + " = " + Printable.bytes(value)
                + (returnPrevious ? ", returnPrevious" : "") + "]";
        }
    }

    /** Deletes every key of a range ({@link KeyRanges}); with {@code returnPrevious} returns them. */
    record DeleteRange(byte[] key, byte[] rangeEnd, boolean returnPrevious) implements Op {
        /** Requires a start key; {@code rangeEnd} may be null (the single key). */
        public DeleteRange {
            if (key == null) {
                throw new IllegalArgumentException("delete range needs a key: key=null");
            }
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof DeleteRange d && Arrays.equals(key, d.key) && Arrays.equals(rangeEnd, d.rangeEnd)
                && returnPrevious == d.returnPrevious;
        }

        @Override
        public int hashCode() {
            return (Arrays.hashCode(key) * 31 + Arrays.hashCode(rangeEnd)) * 31 + Boolean.hashCode(returnPrevious);
        }

        @Override
        public String toString() {
            return "DeleteRange[" + Printable.bytes(key) + " .. " + Printable.bytes(rangeEnd)
                + (returnPrevious ? ", returnPrevious" : "") + "]";
        }
    }

    /**
     * Reads a range inside a batch (so the read is ordered with the writes around it).
     * {@code limit} 0 means no limit; {@code countOnly} returns the count and no entries.
     */
    record Range(byte[] key, byte[] rangeEnd, long limit, boolean keysOnly, boolean countOnly) implements Op {
        /** Requires a start key and a limit >= 0. */
        public Range {
            if (key == null || limit < 0) {
                throw new IllegalArgumentException("range needs a key and a limit >= 0 (0 = no limit): key="
                    + Printable.bytes(key) + " limit=" + limit);
            }
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Range r && Arrays.equals(key, r.key) && Arrays.equals(rangeEnd, r.rangeEnd)
                && limit == r.limit && keysOnly == r.keysOnly && countOnly == r.countOnly;
        }

        @Override
        public int hashCode() {
            int h = Arrays.hashCode(key) * 31 + Arrays.hashCode(rangeEnd);
            h = h * 31 + Long.hashCode(limit);
            return (h * 31 + Boolean.hashCode(keysOnly)) * 31 + Boolean.hashCode(countOnly);
        }

        @Override
        public String toString() {
            return "Range[" + Printable.bytes(key) + " .. " + Printable.bytes(rangeEnd) + ", limit=" + limit
                + (keysOnly ? ", keysOnly" : "") + (countOnly ? ", countOnly" : "") + "]";
        }
    }

    /**
     * If every compare holds, the success ops run, otherwise the failure ops (etcd's Txn). A
     * transaction inside a transaction is refused by the validator and by the table.
     */
    record Txn(List<Compare> compares, List<Op> success, List<Op> failure) implements Op {
        /** Copies the lists (immutable afterwards); they and their elements must not be null. */
        public Txn {
            if (compares == null || success == null || failure == null
                || hasNull(compares) || hasNull(success) || hasNull(failure)) {
                throw new IllegalArgumentException("txn needs compare, success and failure lists without nulls: "
                    + compares + ", " + success + ", " + failure);
            }
            compares = List.copyOf(compares);
            success = List.copyOf(success);
            failure = List.copyOf(failure);
        }

        // Not List.contains(null): immutable lists throw on it.
        private static boolean hasNull(final List<?> list) {
            for (final Object o : list) {
                if (o == null) {
                    return true;
                }
            }
            return false;
        }
    }
}

package io.duetdb.storage.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The in-memory ordered table of a node. One applier thread writes (through {@link #apply}); any
 * thread may read. Deterministic: the same batches at the same revisions give the same content and
 * the same results on every node.
 */
public final class KvTable {
    private final ConcurrentSkipListMap<Key, KeyValue> entries = new ConcurrentSkipListMap<>();
    private volatile long lastAppliedRevision;
    private volatile long sizeBytes;

    /** A key in the map: unsigned byte order. */
    private record Key(byte[] bytes) implements Comparable<Key> {
        @Override
        public int compareTo(final Key o) {
            return KeyRanges.compare(bytes, o.bytes);
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Key k && compareTo(k) == 0;
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    /** An empty table. */
    public KvTable() {
    }

    /** A table holding {@code content} (from a checkpoint), last changed at {@code lastAppliedRevision}. */
    public static KvTable restore(final long lastAppliedRevision, final Iterable<KeyValue> content) {
        final KvTable table = new KvTable();
        long bytes = 0;
        for (final KeyValue kv : content) {
            if (kv.modRevision() > lastAppliedRevision) {
                throw new IllegalArgumentException("entry " + kv + " is newer than revision " + lastAppliedRevision);
            }
            table.entries.put(new Key(kv.key()), kv);
            bytes += kv.key().length + kv.value().length;
        }
        table.sizeBytes = bytes;
        table.lastAppliedRevision = lastAppliedRevision;
        return table;
    }

    /**
     * Applies a batch at {@code revision}; returns one result per op.
     *
     * @throws IllegalArgumentException when {@code revision} does not exceed the last applied one:
     *     re-applying a revision would corrupt versions
     */
    public List<OpResult> apply(final long revision, final List<Op> ops) {
        if (revision <= lastAppliedRevision) {
            throw new IllegalArgumentException("revision " + revision + " is not above the last applied revision "
                + lastAppliedRevision);
        }
        final List<OpResult> results = new ArrayList<>(ops.size());
        for (final Op op : ops) {
            results.add(applyOne(revision, op));
        }
        lastAppliedRevision = revision;
        return results;
    }

    private OpResult applyOne(final long revision, final Op op) {
        if (op instanceof Op.Put put) {
            final Key key = new Key(put.key());
            final KeyValue previous = entries.get(key);
            final KeyValue next = previous == null
                ? new KeyValue(put.key(), put.value(), revision, revision, 1)
                : new KeyValue(put.key(), put.value(), previous.createRevision(), revision, previous.version() + 1);
            entries.put(key, next);
            sizeBytes += put.value().length - (previous == null ? -put.key().length : previous.value().length);
            return new OpResult.PutResult(put.returnPrevious() ? previous : null);
        }
        if (op instanceof Op.DeleteRange delete) {
            final List<KeyValue> removed = new ArrayList<>();
            long count = 0;
            for (final Map.Entry<Key, KeyValue> e : select(delete.key(), delete.rangeEnd()).entrySet()) {
                if (entries.remove(e.getKey()) != null) {
                    count++;
                    sizeBytes -= e.getValue().key().length + e.getValue().value().length;
                    if (delete.returnPrevious()) {
                        removed.add(e.getValue());
                    }
                }
            }
            return new OpResult.DeleteResult(count, removed);
        }
        if (op instanceof Op.Range range) {
            return range(range.key(), range.rangeEnd(), range.limit(), range.keysOnly(), range.countOnly());
        }
        final Op.Txn txn = (Op.Txn) op;
        boolean succeeded = true;
        for (final Compare c : txn.compares()) {
            if (!c.test(entries.get(new Key(c.key())))) {
                succeeded = false;
                break;
            }
        }
        final List<OpResult> results = new ArrayList<>();
        for (final Op branchOp : succeeded ? txn.success() : txn.failure()) {
            results.add(applyOne(revision, branchOp));
        }
        return new OpResult.TxnResult(succeeded, results);
    }

    /** The entries of a range (see {@link KeyRanges}); a live view, not a copy. */
    private NavigableMap<Key, KeyValue> select(final byte[] key, final byte[] rangeEnd) {
        final Key from = new Key(key);
        if (KeyRanges.isSingleKey(rangeEnd)) {
            return entries.subMap(from, true, from, true);
        }
        if (KeyRanges.isToEnd(rangeEnd)) {
            return entries.tailMap(from, true);
        }
        if (KeyRanges.compare(rangeEnd, key) <= 0) {
            return new java.util.TreeMap<>();
        }
        return entries.subMap(from, true, new Key(rangeEnd), false);
    }

    /** Reads a range; {@code limit} 0 means no limit. */
    public OpResult.RangeResult range(final byte[] key, final byte[] rangeEnd, final long limit,
                                      final boolean keysOnly, final boolean countOnly) {
        final List<KeyValue> kvs = new ArrayList<>();
        long count = 0;
        for (final KeyValue kv : select(key, rangeEnd).values()) {
            count++;
            if (!countOnly && (limit <= 0 || kvs.size() < limit)) {
                kvs.add(keysOnly ? kv.withoutValue() : kv);
            }
        }
        final boolean more = !countOnly && limit > 0 && count > limit;
        return new OpResult.RangeResult(kvs, count, more);
    }

    /** The entry of a key, or null. */
    public KeyValue get(final byte[] key) {
        return entries.get(new Key(key));
    }

    /** Number of keys. */
    public long size() {
        return entries.size();
    }

    /** Sum of key and value lengths. */
    public long approximateSizeBytes() {
        return sizeBytes;
    }

    public long lastAppliedRevision() {
        return lastAppliedRevision;
    }

    /** Every entry in key order. */
    public void forEach(final Consumer<KeyValue> action) {
        entries.values().forEach(action);
    }

    /**
     * A deterministic 64-bit digest (FNV-1a over a canonical encoding of every entry in key order,
     * then the last applied revision): equal on replicas that applied the same batches.
     */
    public long digest() {
        final Fnv64 fnv = new Fnv64();
        for (final KeyValue kv : entries.values()) {
            fnv.bytes(kv.key()).bytes(kv.value()).longValue(kv.createRevision()).longValue(kv.modRevision())
                .longValue(kv.version());
        }
        return fnv.longValue(lastAppliedRevision).value();
    }
}

package io.duetdb.storage.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The in-memory ordered key-value table of a node, etcd-like: a change's revision is the Raft log
 * index of the batch that made it.
 *
 * <p>Threading: one applier thread calls {@link #apply}; any thread may read at any time. Reads
 * are safe but not snapshots: a read running alongside an apply may see part of that batch.
 * Callers that need a consistent view (checkpoints, digests for comparison) hold the applier off.
 *
 * <p>Deterministic: the same batches at the same revisions give the same content, the same
 * results and the same {@link #digest()} on every replica.
 */
public final class KvTable {
    private final ConcurrentSkipListMap<Key, KeyValue> entries = new ConcurrentSkipListMap<>();
    // Written by the applier thread only; volatile so readers see current values. Counted here
    // because ConcurrentSkipListMap.size() walks the whole map.
    private volatile long lastAppliedRevision;
    private volatile long keyCount;
    private volatile long sizeBytes;

    /** A map key: a byte string in unsigned lexicographic order. */
    private record Key(byte[] bytes) implements Comparable<Key> {
        @Override
        public int compareTo(final Key o) {
            return KeyRanges.compare(bytes, o.bytes);
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** An empty table that has applied nothing (last applied revision 0). */
    public KvTable() {
    }

    /**
     * A table holding {@code content} as of {@code lastAppliedRevision} (used by checkpoint
     * loading). The table takes the entries as they are: their arrays must not change afterwards.
     *
     * @throws IllegalArgumentException on a duplicate key or an entry newer than the revision
     */
    public static KvTable restore(final long lastAppliedRevision, final Iterable<KeyValue> content) {
        if (lastAppliedRevision < 0 || content == null) {
            throw new IllegalArgumentException("lastAppliedRevision=" + lastAppliedRevision + " must be >= 0 and "
                + "content=" + content + " must not be null");
        }
        final KvTable table = new KvTable();
        long count = 0;
        long bytes = 0;
        for (final KeyValue kv : content) {
            if (kv == null || kv.modRevision() > lastAppliedRevision) {
                throw new IllegalArgumentException("entry " + kv + " is missing or newer than lastAppliedRevision="
                    + lastAppliedRevision);
            }
            if (table.entries.put(new Key(kv.key()), kv) != null) {
                throw new IllegalArgumentException("duplicate key " + Printable.bytes(kv.key()));
            }
            count++;
            bytes += kv.key().length + (long) kv.value().length;
        }
        table.keyCount = count;
        table.sizeBytes = bytes;
        table.lastAppliedRevision = lastAppliedRevision;
        return table;
    }

    /**
     * Applies a batch at {@code revision}: every change it makes gets that mod revision, every key
     * it creates that create revision. Returns one result per op.
     *
     * @throws IllegalArgumentException when {@code revision} is not above the last applied one (a
     *     re-applied batch would bump versions twice, so recovery must never do it) or when the
     *     batch nests a transaction; in both cases the table is unchanged
     */
    public List<OpResult> apply(final long revision, final List<Op> ops) {
        if (revision <= lastAppliedRevision) {
            throw new IllegalArgumentException("revision=" + revision + " must be above lastAppliedRevision="
                + lastAppliedRevision);
        }
        if (ops == null) {
            throw new IllegalArgumentException("ops=null at revision=" + revision);
        }
        // Checked before any change, so a refused batch leaves no trace.
        for (final Op op : ops) {
            if (op instanceof Op.Txn txn && (hasTxn(txn.success()) || hasTxn(txn.failure()))) {
                throw new IllegalArgumentException("revision=" + revision + ": nested transaction in " + txn);
            }
        }
        final List<OpResult> results = new ArrayList<>(ops.size());
        for (final Op op : ops) {
            results.add(applyOne(revision, op));
        }
        lastAppliedRevision = revision;
        return results;
    }

    private static boolean hasTxn(final List<Op> ops) {
        for (final Op op : ops) {
            if (op instanceof Op.Txn) {
                return true;
            }
        }
        return false;
    }

    private OpResult applyOne(final long revision, final Op op) {
        if (op instanceof Op.Put put) {
            return put(revision, put);
        }
        if (op instanceof Op.DeleteRange delete) {
            return deleteRange(delete);
        }
        if (op instanceof Op.Range r) {
            return range(r.key(), r.rangeEnd(), r.limit(), r.keysOnly(), r.countOnly());
        }
        final Op.Txn txn = (Op.Txn) op;
        final boolean succeeded = comparesHold(txn.compares());
        final List<Op> branch = succeeded ? txn.success() : txn.failure();
        final List<OpResult> results = new ArrayList<>(branch.size());
        for (final Op branchOp : branch) {
            results.add(applyOne(revision, branchOp));
        }
        return new OpResult.TxnResult(succeeded, results);
    }

    private OpResult.PutResult put(final long revision, final Op.Put put) {
        // Copied: the caller may reuse its buffers, and a key changed inside the map would break its order.
        final byte[] value = put.value().clone();
        final Key key = new Key(put.key().clone());
        final KeyValue previous = entries.get(key);
        if (previous == null) {
            entries.put(key, new KeyValue(key.bytes(), value, revision, revision, 1));
            keyCount++;
            sizeBytes += key.bytes().length + (long) value.length;
        } else {
            entries.put(key, new KeyValue(previous.key(), value, previous.createRevision(), revision,
                previous.version() + 1));
            sizeBytes += value.length - (long) previous.value().length;
        }
        return new OpResult.PutResult(put.returnPrevious() ? previous : null);
    }

    private OpResult.DeleteResult deleteRange(final Op.DeleteRange delete) {
        final List<KeyValue> removed = new ArrayList<>();
        long count = 0;
        final Iterator<KeyValue> it = select(delete.key(), delete.rangeEnd()).values().iterator();
        while (it.hasNext()) {
            final KeyValue kv = it.next();
            it.remove();
            count++;
            keyCount--;
            sizeBytes -= kv.key().length + (long) kv.value().length;
            if (delete.returnPrevious()) {
                removed.add(kv);
            }
        }
        return new OpResult.DeleteResult(count, removed);
    }

    /** The entries of a range ({@link KeyRanges}): a live view, not a copy. */
    private NavigableMap<Key, KeyValue> select(final byte[] key, final byte[] rangeEnd) {
        final Key from = new Key(key);
        if (KeyRanges.isSingleKey(rangeEnd)) {
            return entries.subMap(from, true, from, true);
        }
        if (KeyRanges.isToEnd(rangeEnd)) {
            return entries.tailMap(from, true);
        }
        if (KeyRanges.compare(rangeEnd, key) <= 0) {
            return Collections.emptyNavigableMap(); // subMap would throw on an inverted range
        }
        return entries.subMap(from, true, new Key(rangeEnd), false);
    }

    /**
     * Reads a range ({@link KeyRanges} rules). {@code limit} 0 means no limit; {@code keysOnly}
     * returns entries with empty values; {@code countOnly} returns no entries, only the count
     * (and {@code more} false). The count covers the whole range, so a read walks all of it.
     */
    public OpResult.RangeResult range(final byte[] key, final byte[] rangeEnd, final long limit,
                                      final boolean keysOnly, final boolean countOnly) {
        if (key == null || limit < 0) {
            throw new IllegalArgumentException("key=" + Printable.bytes(key) + " limit=" + limit
                + ": need a key and limit >= 0 (0 = no limit)");
        }
        final List<KeyValue> kvs = new ArrayList<>();
        long count = 0;
        for (final KeyValue kv : select(key, rangeEnd).values()) {
            count++;
            if (!countOnly && (limit == 0 || kvs.size() < limit)) {
                kvs.add(keysOnly ? kv.withoutValue() : kv);
            }
        }
        return new OpResult.RangeResult(kvs, count, kvs.size() < count && !countOnly);
    }

    /** Whether every compare holds against the table now: which branch a transaction takes. */
    public boolean comparesHold(final List<Compare> compares) {
        for (final Compare c : compares) {
            if (!c.test(entries.get(new Key(c.key())))) {
                return false;
            }
        }
        return true;
    }

    /** The entry of {@code key}, or null. Its arrays are the table's: do not modify them. */
    public KeyValue get(final byte[] key) {
        if (key == null) {
            throw new IllegalArgumentException("key=null");
        }
        return entries.get(new Key(key));
    }

    /** Number of keys. */
    public long size() {
        return keyCount;
    }

    /** Sum of the lengths of every key and value, in bytes (no per-entry overhead counted). */
    public long approximateSizeBytes() {
        return sizeBytes;
    }

    /** Revision of the last applied batch (0 for a new table; the checkpoint's index when restored). */
    public long lastAppliedRevision() {
        return lastAppliedRevision;
    }

    /** Passes every entry to {@code action} in key order. */
    public void forEach(final Consumer<KeyValue> action) {
        entries.values().forEach(action);
    }

    /**
     * A deterministic 64-bit digest of the content, to compare replicas: FNV-1a 64 over, for each
     * entry in key order, i64 key length, key, i64 value length, value, i64 createRevision, i64
     * modRevision, i64 version; then i64 key count. Every i64 is fed least significant byte first.
     * {@code lastAppliedRevision} is left out on purpose: a table loaded from a snapshot taken at a
     * Raft entry that wrote nothing (a leader's no-op, a membership change) counts that entry's
     * index as its revision, so the same data would otherwise digest differently.
     */
    public long digest() {
        final Fnv64 fnv = new Fnv64();
        long count = 0;
        for (final KeyValue kv : entries.values()) {
            fnv.bytes(kv.key()).bytes(kv.value()).longValue(kv.createRevision()).longValue(kv.modRevision())
                .longValue(kv.version());
            count++;
        }
        return fnv.longValue(count).value();
    }
}

package io.duetdb.client;

/**
 * Deletes one key or the keys of a range; made by {@link Op#delete}, {@link Op#deleteRange} and
 * {@link Op#deletePrefix}.
 *
 * @param key      the key, or the first key of the range
 * @param rangeEnd empty for {@code key} alone, {0} for every key from {@code key} on, otherwise the
 *                 exclusive end of the range
 * @param prevKvs  whether the reply carries the deleted key-values
 */
public record DeleteOp(Bytes key, Bytes rangeEnd, boolean prevKvs) implements Op {
    public DeleteOp {
        if (key == null || rangeEnd == null) {
            throw new IllegalArgumentException("a delete needs a key and a range end (empty for one key)");
        }
    }

    static DeleteOp key(final Bytes key) {
        return new DeleteOp(key, Bytes.EMPTY, false);
    }

    static DeleteOp range(final Bytes from, final Bytes toExclusive) {
        return new DeleteOp(from, toExclusive, false);
    }

    static DeleteOp prefix(final Bytes prefix) {
        return new DeleteOp(prefix, Bytes.prefixEnd(prefix), false);
    }

    /** The same delete, returning what it deleted in {@link DeleteResult#prevKvs()}. */
    public DeleteOp withPrevKvs() {
        return new DeleteOp(key, rangeEnd, true);
    }
}

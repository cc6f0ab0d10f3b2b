package io.duetdb.client;

import java.util.Objects;

/**
 * A read of one key, a range {@code [key, rangeEnd)}, a prefix, or every key from one on; with
 * options. Immutable: each option returns a new query.
 *
 * <pre>{@code
 * RangeQuery.prefix("jobs/").limit(100).keysOnly()
 * RangeQuery.range("a", "m").countOnly()
 * RangeQuery.key("config").serializable()
 * }</pre>
 *
 * <p>The options: {@link #limit} (at most that many keys, in key order; {@link RangeResult#more()}
 * says if it cut), {@link #keysOnly} (keys without values), {@link #countOnly} (only the count),
 * {@link #serializable} (read the serving node's local state: faster and spread over every
 * endpoint, but possibly stale; the default is linearizable. Ignored inside a transaction, which
 * is always linearizable).
 */
public final class RangeQuery implements Op {
    /** As a range end: every key from the start key on. */
    static final Bytes TO_END = Bytes.of(new byte[] {0});

    private final Bytes key;
    private final Bytes rangeEnd;
    private final long limit;
    private final boolean keysOnly;
    private final boolean countOnly;
    private final boolean serializable;

    private RangeQuery(final Bytes key, final Bytes rangeEnd, final long limit, final boolean keysOnly,
                       final boolean countOnly, final boolean serializable) {
        if (key == null || rangeEnd == null) {
            throw new IllegalArgumentException("a range needs a key and a range end (empty for one key)");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative (0 means no limit)");
        }
        this.key = key;
        this.rangeEnd = rangeEnd;
        this.limit = limit;
        this.keysOnly = keysOnly;
        this.countOnly = countOnly;
        this.serializable = serializable;
    }

    public static RangeQuery key(final String key) {
        return key(Bytes.of(key));
    }

    public static RangeQuery key(final Bytes key) {
        return new RangeQuery(key, Bytes.EMPTY, 0, false, false, false);
    }

    /** Keys in {@code [from, toExclusive)}. */
    public static RangeQuery range(final String from, final String toExclusive) {
        return range(Bytes.of(from), Bytes.of(toExclusive));
    }

    /** Keys in {@code [from, toExclusive)}. */
    public static RangeQuery range(final Bytes from, final Bytes toExclusive) {
        return new RangeQuery(from, toExclusive, 0, false, false, false);
    }

    /** Keys that start with {@code prefix}. */
    public static RangeQuery prefix(final String prefix) {
        return prefix(Bytes.of(prefix));
    }

    /** Keys that start with {@code prefix}. */
    public static RangeQuery prefix(final Bytes prefix) {
        return new RangeQuery(prefix, Bytes.prefixEnd(prefix), 0, false, false, false);
    }

    /** Every key from {@code from} (inclusive) to the end of the keyspace. */
    public static RangeQuery from(final Bytes from) {
        return new RangeQuery(from, TO_END, 0, false, false, false);
    }

    /** Every key (the smallest key is {0}: keys are at least one byte). */
    public static RangeQuery all() {
        return from(TO_END);
    }

    /** At most {@code maxKeys} keys, in key order (0: no limit). */
    public RangeQuery limit(final long maxKeys) {
        return new RangeQuery(key, rangeEnd, maxKeys, keysOnly, countOnly, serializable);
    }

    public RangeQuery keysOnly() {
        return new RangeQuery(key, rangeEnd, limit, true, countOnly, serializable);
    }

    public RangeQuery countOnly() {
        return new RangeQuery(key, rangeEnd, limit, keysOnly, true, serializable);
    }

    public RangeQuery serializable() {
        return new RangeQuery(key, rangeEnd, limit, keysOnly, countOnly, true);
    }

    /**
     * The query for the page after {@code page}, a result of this query with {@code more} set: the
     * same range and options, from just after the page's last key. The server does not paginate by
     * itself; this is how to read a large range in pieces (each page at its own revision).
     */
    public RangeQuery after(final RangeResult page) {
        if (rangeEnd.isEmpty() || page.kvs().isEmpty()) {
            throw new IllegalArgumentException("no next page: the query reads one key, or the page has no keys");
        }
        final Bytes next = page.kvs().get(page.kvs().size() - 1).key().concat(TO_END);
        return new RangeQuery(next, rangeEnd, limit, keysOnly, countOnly, serializable);
    }

    /** The key, or the first key of the range. */
    public Bytes key() {
        return key;
    }

    /** Empty for {@code key} alone, {0} for every key from {@code key} on, else the exclusive end. */
    public Bytes rangeEnd() {
        return rangeEnd;
    }

    /** At most this many keys (0: no limit). */
    public long limit() {
        return limit;
    }

    public boolean isKeysOnly() {
        return keysOnly;
    }

    public boolean isCountOnly() {
        return countOnly;
    }

    public boolean isSerializable() {
        return serializable;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof RangeQuery q && key.equals(q.key) && rangeEnd.equals(q.rangeEnd) && limit == q.limit
            && keysOnly == q.keysOnly && countOnly == q.countOnly && serializable == q.serializable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, rangeEnd, limit, keysOnly, countOnly, serializable);
    }

    @Override
    public String toString() {
        return "RangeQuery[key=" + key + ", rangeEnd=" + rangeEnd + ", limit=" + limit + ", keysOnly=" + keysOnly
            + ", countOnly=" + countOnly + ", serializable=" + serializable + "]";
    }
}

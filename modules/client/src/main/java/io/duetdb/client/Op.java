package io.duetdb.client;

/**
 * An operation: a read ({@link RangeQuery}), a put ({@link PutOp}) or a delete ({@link DeleteOp}).
 * Each runs alone through {@link KvClient} or inside a transaction branch ({@link Txn}).
 * String arguments are keys and values in UTF-8.
 *
 * <pre>{@code
 * Op.put("config/mode", "fast").withPrevKv()
 * Op.deletePrefix("jobs/").withPrevKvs()
 * Op.prefix("jobs/").limit(10).keysOnly()
 * }</pre>
 */
public sealed interface Op permits RangeQuery, PutOp, DeleteOp {

    /** A read of one key. */
    static RangeQuery get(final String key) {
        return RangeQuery.key(key);
    }

    /** A read of one key. */
    static RangeQuery get(final Bytes key) {
        return RangeQuery.key(key);
    }

    /** A read of {@code [from, toExclusive)}. */
    static RangeQuery range(final String from, final String toExclusive) {
        return RangeQuery.range(from, toExclusive);
    }

    /** A read of every key that starts with {@code prefix}. */
    static RangeQuery prefix(final String prefix) {
        return RangeQuery.prefix(prefix);
    }

    static PutOp put(final String key, final String value) {
        return new PutOp(Bytes.of(key), Bytes.of(value), false);
    }

    static PutOp put(final Bytes key, final Bytes value) {
        return new PutOp(key, value, false);
    }

    /** A delete of one key. */
    static DeleteOp delete(final String key) {
        return DeleteOp.key(Bytes.of(key));
    }

    /** A delete of one key. */
    static DeleteOp delete(final Bytes key) {
        return DeleteOp.key(key);
    }

    /** A delete of every key in {@code [from, toExclusive)}. */
    static DeleteOp deleteRange(final String from, final String toExclusive) {
        return DeleteOp.range(Bytes.of(from), Bytes.of(toExclusive));
    }

    /** A delete of every key in {@code [from, toExclusive)}. */
    static DeleteOp deleteRange(final Bytes from, final Bytes toExclusive) {
        return DeleteOp.range(from, toExclusive);
    }

    /** A delete of every key that starts with {@code prefix}. */
    static DeleteOp deletePrefix(final String prefix) {
        return DeleteOp.prefix(Bytes.of(prefix));
    }

    /** A delete of every key that starts with {@code prefix}. */
    static DeleteOp deletePrefix(final Bytes prefix) {
        return DeleteOp.prefix(prefix);
    }
}

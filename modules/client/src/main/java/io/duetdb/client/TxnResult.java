package io.duetdb.client;

import java.util.List;

/**
 * What a transaction did.
 *
 * @param header    the reply's header; {@code revision} is the transaction's revision
 * @param succeeded true when every compare held and the {@code then} branch ran; false when the
 *                  {@code otherwise} branch ran
 * @param results   one result per op of the branch that ran, in order
 * @param duplicate true when an earlier attempt of this same transaction (a retry after a lost
 *                  reply) had already applied it: then which branch ran is not known
 *                  ({@code succeeded} is false and {@code results} empty), and
 *                  {@code header.revision} is the original revision; read the keys to find out
 */
public record TxnResult(Header header, boolean succeeded, List<OpResult> results, boolean duplicate) {
    public TxnResult {
        results = List.copyOf(results);
    }

    /** The result of op {@code index} of the branch that ran, which must be a read. */
    public RangeResult rangeResult(final int index) {
        return as(index, RangeResult.class);
    }

    /** The result of op {@code index} of the branch that ran, which must be a put. */
    public PutResult putResult(final int index) {
        return as(index, PutResult.class);
    }

    /** The result of op {@code index} of the branch that ran, which must be a delete. */
    public DeleteResult deleteResult(final int index) {
        return as(index, DeleteResult.class);
    }

    private <T extends OpResult> T as(final int index, final Class<T> type) {
        if (index < 0 || index >= results.size()) {
            throw new IndexOutOfBoundsException("op " + index + " of a branch with " + results.size() + " results"
                + (duplicate ? " (a duplicate reply carries none)" : ""));
        }
        final OpResult r = results.get(index);
        if (!type.isInstance(r)) {
            throw new IllegalStateException("op " + index + " is a " + r.getClass().getSimpleName() + ", not a "
                + type.getSimpleName());
        }
        return type.cast(r);
    }
}

package io.duetdb.client;

import java.util.List;

/**
 * What a delete did.
 *
 * @param header    the reply's header; {@code revision} is the delete's revision
 * @param deleted   how many keys it deleted
 * @param prevKvs   the deleted key-values, when asked for with {@link DeleteOp#withPrevKvs()}
 * @param duplicate true when an earlier attempt of this same delete had already applied it: then
 *                  {@code deleted} is 0 and {@code prevKvs} empty (not known), and
 *                  {@code header.revision} is the original revision
 */
public record DeleteResult(Header header, long deleted, List<KeyValue> prevKvs, boolean duplicate)
    implements OpResult {
    public DeleteResult {
        prevKvs = List.copyOf(prevKvs);
    }
}

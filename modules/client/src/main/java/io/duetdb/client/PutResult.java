package io.duetdb.client;

import java.util.Optional;

/**
 * What a put did.
 *
 * @param header    the reply's header; {@code revision} is the put's revision
 * @param prevKv    the key's previous key-value, when asked for with {@link PutOp#withPrevKv()}
 *                  and the key existed; else null (see {@link #previous()})
 * @param duplicate true when an earlier attempt of this same put (a retry after a lost reply)
 *                  had already applied it: nothing changed now, {@code header.revision} is the
 *                  original revision, and the previous value is not known
 */
public record PutResult(Header header, KeyValue prevKv, boolean duplicate) implements OpResult {
    public Optional<KeyValue> previous() {
        return Optional.ofNullable(prevKv);
    }
}

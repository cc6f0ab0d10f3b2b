package io.duetdb.client;

import java.util.List;
import java.util.Optional;

/**
 * What a read found.
 *
 * @param header the reply's header; {@code revision} is the revision the read saw
 * @param kvs    the key-values in key order (empty for a count-only read)
 * @param more   whether the limit cut the result: more keys are in the range
 * @param count  how many keys the range holds (regardless of the limit)
 */
public record RangeResult(Header header, List<KeyValue> kvs, boolean more, long count) implements OpResult {
    public RangeResult {
        kvs = List.copyOf(kvs);
    }

    /** The first key-value, if any (the key itself for a single-key read). */
    public Optional<KeyValue> first() {
        return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0));
    }

    public boolean isEmpty() {
        return kvs.isEmpty();
    }
}

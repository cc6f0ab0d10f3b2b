package io.duetdb.client;

/**
 * A stored key and its value, as of the reply's revision.
 *
 * @param key            the key
 * @param value          the value (empty for a keys-only read)
 * @param createRevision the revision that created the key (since it last did not exist)
 * @param modRevision    the revision of the key's last change
 * @param version        how many times the key was written since it was created (1 after the first put)
 */
public record KeyValue(Bytes key, Bytes value, long createRevision, long modRevision, long version) {
    static KeyValue of(final io.duetdb.api.v1.KeyValue kv) {
        return new KeyValue(Bytes.wrap(kv.getKey()), Bytes.wrap(kv.getValue()), kv.getCreateRevision(),
            kv.getModRevision(), kv.getVersion());
    }
}

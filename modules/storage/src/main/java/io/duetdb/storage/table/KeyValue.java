package io.duetdb.storage.table;

import java.util.Arrays;

/**
 * One key's current state, as etcd's {@code mvccpb.KeyValue}. Revisions are Raft log indexes:
 * {@code createRevision} is the revision of the put that created the key, {@code modRevision} that
 * of its last change; {@code version} counts puts since creation (1 after the first put).
 *
 * <p>The arrays are not copied (a table holds millions of these): treat them as read-only.
 */
public record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version) {

    /** Checks the invariants every stored entry has, so a damaged source cannot smuggle in nonsense. */
    public KeyValue {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("key=" + Printable.bytes(key) + " must be at least 1 byte");
        }
        if (value == null) {
            throw new IllegalArgumentException("value=null for key " + Printable.bytes(key) + "; use an empty value");
        }
        if (createRevision < 1 || modRevision < createRevision || version < 1) {
            throw new IllegalArgumentException("createRevision=" + createRevision + " modRevision=" + modRevision
                + " version=" + version + " for key " + Printable.bytes(key)
                + ": need 1 <= createRevision <= modRevision and version >= 1");
        }
    }

    /** The same entry with an empty value, for keys-only reads. */
    public KeyValue withoutValue() {
        return new KeyValue(key, new byte[0], createRevision, modRevision, version);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof KeyValue kv && Arrays.equals(key, kv.key) && Arrays.equals(value, kv.value)
            && createRevision == kv.createRevision && modRevision == kv.modRevision && version == kv.version;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(key);
        h = 31 * h + Arrays.hashCode(value);
        h = 31 * h + Long.hashCode(createRevision);
        h = 31 * h + Long.hashCode(modRevision);
        return 31 * h + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "KeyValue[" + Printable.bytes(key) + " = " + Printable.bytes(value) + ", createRevision="
            + createRevision + ", modRevision=" + modRevision + ", version=" + version + "]";
    }
}

package io.duetdb.storage.table;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One key's current state. Revisions are Raft log indexes: {@code createRevision} of the put that
 * created the key, {@code modRevision} of the last change; {@code version} counts puts since
 * creation (1 after the first).
 */
public record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version) {

    /** The same key with its value dropped (keys-only reads). */
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
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value) + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "KeyValue[" + printable(key) + "=" + printable(value) + ", create=" + createRevision + ", mod="
            + modRevision + ", version=" + version + "]";
    }

    static String printable(final byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        final String s = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8);
        return "'" + s + (bytes.length > 64 ? "...'(" + bytes.length + " bytes)" : "'");
    }
}

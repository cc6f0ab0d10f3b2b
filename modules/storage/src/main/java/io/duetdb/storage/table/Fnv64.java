package io.duetdb.storage.table;

/**
 * FNV-1a, 64 bits, fed a canonical encoding: {@link #longValue} feeds the 8 bytes of a long,
 * least significant first; {@link #bytes} feeds the length as such a long, then the bytes. A fast,
 * dependency-free digest to compare replicas; not a defence against a deliberate collision.
 */
public final class Fnv64 {
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private long hash = OFFSET_BASIS;

    /** The digest of one byte array (as {@link #bytes}). */
    public static long of(final byte[] data) {
        return new Fnv64().bytes(data).value();
    }

    Fnv64 bytes(final byte[] data) {
        longValue(data.length); // the length first, so ("ab", "c") and ("a", "bc") differ
        for (final byte b : data) {
            hash = (hash ^ (b & 0xFF)) * PRIME;
        }
        return this;
    }

    Fnv64 longValue(final long v) {
        for (int shift = 0; shift < 64; shift += 8) {
            hash = (hash ^ ((v >>> shift) & 0xFF)) * PRIME;
        }
        return this;
    }

    long value() {
        return hash;
    }
}

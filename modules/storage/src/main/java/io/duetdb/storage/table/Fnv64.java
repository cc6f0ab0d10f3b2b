package io.duetdb.storage.table;

/** FNV-1a, 64 bits: a fast, well-spread, dependency-free digest (not a checksum against attackers). */
final class Fnv64 {
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private long hash = OFFSET_BASIS;

    Fnv64 bytes(final byte[] data) {
        longValue(data.length); // length first, so ("ab","c") and ("a","bc") differ
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

package io.duetdb.bench.load;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keys of a run: numbers {@code 0 .. keySpace-1} written as zero-padded decimal ASCII of exactly
 * {@code sizeBytes} bytes, so keys sort like their numbers and every system stores the same bytes.
 * Sequential keys cycle through the space in request order across all clients (etcd's
 * {@code --sequential-keys}); otherwise each key is uniformly random.
 */
final class Keys {
    private final int sizeBytes;
    private final long keySpace;
    private final boolean sequential;
    private final AtomicLong nextSequential = new AtomicLong();

    Keys(final int sizeBytes, final long keySpace, final boolean sequential) {
        this.sizeBytes = sizeBytes;
        this.keySpace = keySpace;
        this.sequential = sequential;
    }

    /** The key of the next request. */
    byte[] next() {
        final long n = sequential ? Math.floorMod(nextSequential.getAndIncrement(), keySpace)
            : ThreadLocalRandom.current().nextLong(keySpace);
        return encode(n);
    }

    /** Key number {@code n} (taken modulo the key space). */
    byte[] encode(final long n) {
        final byte[] key = new byte[sizeBytes];
        long rest = Math.floorMod(n, keySpace);
        for (int i = sizeBytes - 1; i >= 0; i--) {
            key[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return key;
    }

    /** How many decimal digits {@code n >= 0} needs. */
    static int digits(final long n) {
        return n < 10 ? 1 : 1 + digits(n / 10);
    }
}

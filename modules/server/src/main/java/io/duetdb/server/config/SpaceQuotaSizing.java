package io.duetdb.server.config;

/**
 * Turns the {@code space-quota-bytes} setting into a number the heap can hold. The store lives on
 * the JVM heap next to the Raft log cache, the write queue, snapshots being written and gRPC's
 * buffers, so the quota takes at most {@link #MAX_PERCENT_OF_HEAP}% of the heap, and by default
 * {@link #DEFAULT_PERCENT_OF_HEAP}%.
 */
public final class SpaceQuotaSizing {
    /** The setting's value that asks for the default. */
    public static final String AUTO = "auto";
    public static final int DEFAULT_PERCENT_OF_HEAP = 40;
    public static final int MAX_PERCENT_OF_HEAP = 60;
    /** A quota below this leaves too little room to be useful, and is surely a typo. */
    public static final long MIN_QUOTA_BYTES = 1L << 20;

    private SpaceQuotaSizing() {
    }

    /**
     * The quota in bytes for a setting ({@link #AUTO} or a number of bytes) on a JVM whose max heap
     * is {@code maxHeapBytes}.
     *
     * @throws IllegalArgumentException naming the numbers, when the heap cannot hold the quota
     */
    public static long resolve(final String setting, final long maxHeapBytes) {
        final String text = setting.trim();
        if (text.equalsIgnoreCase(AUTO)) {
            return Math.max(MIN_QUOTA_BYTES, maxHeapBytes / 100 * DEFAULT_PERCENT_OF_HEAP);
        }
        final long quota;
        try {
            quota = Long.parseLong(text);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("space-quota-bytes '" + setting + "' is neither 'auto' nor a number "
                + "of bytes");
        }
        if (quota < MIN_QUOTA_BYTES) {
            throw new IllegalArgumentException("space-quota-bytes " + quota + " is below the minimum of "
                + MIN_QUOTA_BYTES + " bytes (1 MiB)");
        }
        final long most = maxHeapBytes / 100 * MAX_PERCENT_OF_HEAP;
        if (quota > most) {
            throw new IllegalArgumentException("space-quota-bytes " + quota + " (" + mib(quota) + " MiB) does not fit "
                + "this node's heap: the store may take at most " + MAX_PERCENT_OF_HEAP + "% of the JVM's max heap of "
                + mib(maxHeapBytes) + " MiB, that is " + most + " bytes (" + mib(most) + " MiB); lower "
                + "space-quota-bytes or raise the heap (-Xmx, DUET_HEAP in bin/duet)");
        }
        return quota;
    }

    private static long mib(final long bytes) {
        return bytes >> 20;
    }
}

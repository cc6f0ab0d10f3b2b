package io.duetdb.storage.wal;

/**
 * Limits and policies of one log. Every limit is enforced when the log opens.
 *
 * @param segmentSizeBytes size of each preallocated segment file
 * @param ringCapacityBytes group-commit buffer: appenders block when this many bytes wait to be
 *     written; a power of two
 * @param maxBodyBytes largest record body accepted; at most half the ring and must fit in a segment
 * @param syncPolicy when the log fsyncs
 * @param syncListener told each write+fdatasync latency (for metrics); {@link SyncListener#NONE} by default
 * @param lazyWriteLingerMs under {@link SyncPolicy#ON_DEMAND}, the longest an appended record waits
 *     before it is written when nobody asks for it ({@value #DEFAULT_LAZY_WRITE_LINGER_MS} ms by
 *     default, 1 ms to 1 hour); ignored under {@link SyncPolicy#EVERY_WRITE}
 */
public record WalOptions(long segmentSizeBytes, int ringCapacityBytes, int maxBodyBytes, SyncPolicy syncPolicy,
                         SyncListener syncListener, long lazyWriteLingerMs) {

    public static final long DEFAULT_SEGMENT_SIZE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_RING_CAPACITY_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    public static final long DEFAULT_LAZY_WRITE_LINGER_MS = 5;
    private static final long MAX_LAZY_WRITE_LINGER_MS = 3_600_000;

    public WalOptions {
        if (segmentSizeBytes < SegmentDescriptor.MIN_SEGMENT_SIZE_BYTES
            || segmentSizeBytes > SegmentDescriptor.MAX_SEGMENT_SIZE_BYTES || segmentSizeBytes % 4096 != 0) {
            throw new IllegalArgumentException("segmentSizeBytes=" + segmentSizeBytes + " must be a multiple of "
                + "4096 between " + SegmentDescriptor.MIN_SEGMENT_SIZE_BYTES + " and "
                + SegmentDescriptor.MAX_SEGMENT_SIZE_BYTES);
        }
        if (Integer.bitCount(ringCapacityBytes) != 1 || ringCapacityBytes < 4096) {
            throw new IllegalArgumentException("ringCapacityBytes=" + ringCapacityBytes
                + " must be a power of two >= 4096");
        }
        final int maxRecord = RecordDescriptor.recordLength(Math.max(0, maxBodyBytes));
        if (maxBodyBytes < 64 || maxRecord > ringCapacityBytes / 2
            || maxRecord > segmentSizeBytes - SegmentDescriptor.HEADER_LENGTH) {
            throw new IllegalArgumentException("maxBodyBytes=" + maxBodyBytes + " must be >= 64, its record at most "
                + "half of ringCapacityBytes=" + ringCapacityBytes + " and fit in segmentSizeBytes=" + segmentSizeBytes);
        }
        if (syncPolicy == null || syncListener == null) {
            throw new IllegalArgumentException("syncPolicy and syncListener are required");
        }
        if (lazyWriteLingerMs < 1 || lazyWriteLingerMs > MAX_LAZY_WRITE_LINGER_MS) {
            throw new IllegalArgumentException("lazyWriteLingerMs=" + lazyWriteLingerMs + " must be between 1 and "
                + MAX_LAZY_WRITE_LINGER_MS);
        }
    }

    public WalOptions(final long segmentSizeBytes, final int ringCapacityBytes, final int maxBodyBytes,
                      final SyncPolicy syncPolicy) {
        this(segmentSizeBytes, ringCapacityBytes, maxBodyBytes, syncPolicy, SyncListener.NONE,
            DEFAULT_LAZY_WRITE_LINGER_MS);
    }

    /** Defaults for a log with the given sync policy. */
    public static WalOptions defaults(final SyncPolicy policy) {
        return new WalOptions(DEFAULT_SEGMENT_SIZE_BYTES, DEFAULT_RING_CAPACITY_BYTES, DEFAULT_MAX_BODY_BYTES, policy);
    }

    public WalOptions withSegmentSizeBytes(final long bytes) {
        return new WalOptions(bytes, ringCapacityBytes, maxBodyBytes, syncPolicy, syncListener, lazyWriteLingerMs);
    }

    public WalOptions withRingCapacityBytes(final int bytes) {
        return new WalOptions(segmentSizeBytes, bytes, maxBodyBytes, syncPolicy, syncListener, lazyWriteLingerMs);
    }

    public WalOptions withMaxBodyBytes(final int bytes) {
        return new WalOptions(segmentSizeBytes, ringCapacityBytes, bytes, syncPolicy, syncListener, lazyWriteLingerMs);
    }

    public WalOptions withSyncListener(final SyncListener listener) {
        return new WalOptions(segmentSizeBytes, ringCapacityBytes, maxBodyBytes, syncPolicy, listener, lazyWriteLingerMs);
    }

    public WalOptions withLazyWriteLingerMs(final long ms) {
        return new WalOptions(segmentSizeBytes, ringCapacityBytes, maxBodyBytes, syncPolicy, syncListener, ms);
    }
}

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
 */
public record WalOptions(long segmentSizeBytes, int ringCapacityBytes, int maxBodyBytes, SyncPolicy syncPolicy,
                         SyncListener syncListener) {

    public static final long DEFAULT_SEGMENT_SIZE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_RING_CAPACITY_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

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
    }

    public WalOptions(final long segmentSizeBytes, final int ringCapacityBytes, final int maxBodyBytes,
                      final SyncPolicy syncPolicy) {
        this(segmentSizeBytes, ringCapacityBytes, maxBodyBytes, syncPolicy, SyncListener.NONE);
    }

    /** Defaults for a log with the given sync policy. */
    public static WalOptions defaults(final SyncPolicy policy) {
        return new WalOptions(DEFAULT_SEGMENT_SIZE_BYTES, DEFAULT_RING_CAPACITY_BYTES, DEFAULT_MAX_BODY_BYTES, policy);
    }

    public WalOptions withSegmentSizeBytes(final long bytes) {
        return new WalOptions(bytes, ringCapacityBytes, maxBodyBytes, syncPolicy, syncListener);
    }

    public WalOptions withRingCapacityBytes(final int bytes) {
        return new WalOptions(segmentSizeBytes, bytes, maxBodyBytes, syncPolicy, syncListener);
    }

    public WalOptions withMaxBodyBytes(final int bytes) {
        return new WalOptions(segmentSizeBytes, ringCapacityBytes, bytes, syncPolicy, syncListener);
    }

    public WalOptions withSyncListener(final SyncListener listener) {
        return new WalOptions(segmentSizeBytes, ringCapacityBytes, maxBodyBytes, syncPolicy, listener);
    }
}

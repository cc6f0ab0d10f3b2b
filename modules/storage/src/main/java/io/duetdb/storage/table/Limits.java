package io.duetdb.storage.table;

/**
 * Request limits, enforced by {@link OpValidator} before anything is logged. The defaults follow
 * etcd (1.5 MiB requests, 128 ops per transaction) and keep a batch far below Ratis's 4 MB
 * log appender limit.
 *
 * @param maxKeyBytes largest key
 * @param maxValueBytes largest value (also the largest value operand of a compare)
 * @param maxOpsPerTxn most compares, most success ops and most failure ops of one transaction
 * @param maxBatchOps most ops in one batch, ops inside transactions included
 * @param maxBatchBytes most key, range end and value bytes in one batch
 */
public record Limits(int maxKeyBytes, int maxValueBytes, int maxOpsPerTxn, int maxBatchOps, int maxBatchBytes) {
    /** Default {@link #maxKeyBytes}: 4 KiB. */
    public static final int DEFAULT_MAX_KEY_BYTES = 4 * 1024;
    /** Default {@link #maxValueBytes}: 1 MiB. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
    /** Default {@link #maxOpsPerTxn}. */
    public static final int DEFAULT_MAX_OPS_PER_TXN = 128;
    /** Default {@link #maxBatchOps}. */
    public static final int DEFAULT_MAX_BATCH_OPS = 10_000;
    /** Default {@link #maxBatchBytes}: 2 MiB. */
    public static final int DEFAULT_MAX_BATCH_BYTES = 2 * 1024 * 1024;

    /** Every limit must allow at least something. */
    public Limits {
        if (maxKeyBytes < 1 || maxValueBytes < 0 || maxOpsPerTxn < 1 || maxBatchOps < 1 || maxBatchBytes < 1) {
            throw new IllegalArgumentException("maxKeyBytes=" + maxKeyBytes + " maxValueBytes=" + maxValueBytes
                + " maxOpsPerTxn=" + maxOpsPerTxn + " maxBatchOps=" + maxBatchOps + " maxBatchBytes=" + maxBatchBytes
                + ": each must be >= 1 (maxValueBytes >= 0)");
        }
    }

    /**
     * The four main limits; {@code maxBatchBytes} becomes the default, or one largest key plus one
     * largest value when that is more (so a single maximal put always fits).
     */
    public Limits(final int maxKeyBytes, final int maxValueBytes, final int maxOpsPerTxn, final int maxBatchOps) {
        this(maxKeyBytes, maxValueBytes, maxOpsPerTxn, maxBatchOps,
            (int) Math.min(Integer.MAX_VALUE, Math.max(DEFAULT_MAX_BATCH_BYTES, (long) maxKeyBytes + maxValueBytes)));
    }

    /** The default limits. */
    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_OPS_PER_TXN,
            DEFAULT_MAX_BATCH_OPS, DEFAULT_MAX_BATCH_BYTES);
    }
}

package io.duetdb.storage.table;

/**
 * Request limits, enforced before anything is logged. The defaults match etcd's spirit and keep a
 * batch far below Ratis's 4 MB appender limit.
 *
 * @param maxKeyBytes largest key
 * @param maxValueBytes largest value
 * @param maxOpsPerTxn most ops in one transaction branch, and most compares
 * @param maxBatchOps most ops in one batch (counting transaction contents)
 * @param maxBatchBytes largest encoded batch
 */
public record Limits(int maxKeyBytes, int maxValueBytes, int maxOpsPerTxn, int maxBatchOps, int maxBatchBytes) {
    public static final int DEFAULT_MAX_KEY_BYTES = 4 * 1024;
    public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_OPS_PER_TXN = 128;
    public static final int DEFAULT_MAX_BATCH_OPS = 10_000;
    public static final int DEFAULT_MAX_BATCH_BYTES = 2 * 1024 * 1024;

    public Limits {
        if (maxKeyBytes < 1 || maxValueBytes < 0 || maxOpsPerTxn < 1 || maxBatchOps < 1 || maxBatchBytes < 64) {
            throw new IllegalArgumentException("limits must be positive: " + maxKeyBytes + ", " + maxValueBytes + ", "
                + maxOpsPerTxn + ", " + maxBatchOps + ", " + maxBatchBytes);
        }
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_OPS_PER_TXN,
            DEFAULT_MAX_BATCH_OPS, DEFAULT_MAX_BATCH_BYTES);
    }
}

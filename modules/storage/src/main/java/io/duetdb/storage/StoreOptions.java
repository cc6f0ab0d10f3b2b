package io.duetdb.storage;

import io.duetdb.storage.io.IoMode;
import io.duetdb.storage.table.Limits;
import io.duetdb.storage.wal.SyncPolicy;
import io.duetdb.storage.wal.WalOptions;

/**
 * Settings of an embedded store. Every limit is checked when the store opens.
 *
 * @param ioMode which I/O backend the logs use
 * @param intentWal the intent log (fsync on every write: nothing is acknowledged before it)
 * @param completionWal the completion log (fsync on demand: answers never wait for it)
 * @param limits request limits, enforced before anything is logged
 * @param checkpointEveryOps take a checkpoint after this many applied batches (0 = only on request)
 */
public record StoreOptions(IoMode ioMode, WalOptions intentWal, WalOptions completionWal, Limits limits,
                           long checkpointEveryOps) {

    public static final long DEFAULT_CHECKPOINT_EVERY_OPS = 250_000;
    /** Completion records are 56 bytes: small segments and a small ring suffice. */
    public static final long COMPLETION_SEGMENT_SIZE_BYTES = 16L * 1024 * 1024;
    public static final int COMPLETION_RING_CAPACITY_BYTES = 1024 * 1024;
    public static final int COMPLETION_MAX_BODY_BYTES = 1024;

    public StoreOptions {
        if (ioMode == null || intentWal == null || completionWal == null || limits == null) {
            throw new IllegalArgumentException("ioMode, intentWal, completionWal and limits are required");
        }
        if (intentWal.syncPolicy() != SyncPolicy.EVERY_WRITE) {
            throw new IllegalArgumentException("the intent log must fsync every write (syncPolicy=EVERY_WRITE)");
        }
        if (checkpointEveryOps < 0) {
            throw new IllegalArgumentException("checkpointEveryOps=" + checkpointEveryOps + " must be >= 0");
        }
    }

    /** Defaults: io_uring where available, 64 MiB segments, etcd-like request limits. */
    public static StoreOptions defaults() {
        return new StoreOptions(IoMode.AUTO, WalOptions.defaults(SyncPolicy.EVERY_WRITE),
            new WalOptions(COMPLETION_SEGMENT_SIZE_BYTES, COMPLETION_RING_CAPACITY_BYTES, COMPLETION_MAX_BODY_BYTES,
                SyncPolicy.ON_DEMAND),
            Limits.defaults(), DEFAULT_CHECKPOINT_EVERY_OPS);
    }

    public StoreOptions withIoMode(final IoMode mode) {
        return new StoreOptions(mode, intentWal, completionWal, limits, checkpointEveryOps);
    }

    public StoreOptions withIntentWal(final WalOptions options) {
        return new StoreOptions(ioMode, options, completionWal, limits, checkpointEveryOps);
    }

    public StoreOptions withCompletionWal(final WalOptions options) {
        return new StoreOptions(ioMode, intentWal, options, limits, checkpointEveryOps);
    }

    public StoreOptions withCheckpointEveryOps(final long ops) {
        return new StoreOptions(ioMode, intentWal, completionWal, limits, ops);
    }
}

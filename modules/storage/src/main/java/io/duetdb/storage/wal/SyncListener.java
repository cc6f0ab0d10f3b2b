package io.duetdb.storage.wal;

/**
 * Told the duration of every completed write-and-fdatasync of a log, so a caller can keep a latency
 * distribution (the log itself keeps only a count and a total, {@link WalStats}). Called on the
 * log's I/O completion path while the log's lock is held: it must be cheap and must not block.
 * An exception it throws is dropped, so a broken metric never fails a log.
 */
@FunctionalInterface
public interface SyncListener {
    SyncListener NONE = durationNanos -> { };

    /** One write+fdatasync completed after {@code durationNanos}. */
    void onSync(long durationNanos);
}

package io.duetdb.storage.wal;

/** When a log fsyncs. */
public enum SyncPolicy {
    /** Every write is followed by fdatasync (the intent log: nothing is acknowledged before it). */
    EVERY_WRITE,
    /** fdatasync only when someone waits for durability (the completion log: not needed for an ack). */
    ON_DEMAND
}

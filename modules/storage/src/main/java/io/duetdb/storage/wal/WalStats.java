package io.duetdb.storage.wal;

/** Counters of one log, for metrics and {@code status}. */
public record WalStats(String log, String backend, long appendedRecords, long appendedBytes, long writes, long syncs,
                       long syncNanosTotal, long backpressureWaits, long queuedBytes, int segments,
                       long diskBytes, boolean failed) {
}

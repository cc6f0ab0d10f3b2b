package io.duetdb.storage.wal;

/** Counters of one {@link GroupCommitWriter}. Plain fields: read only through copies made under its lock. */
final class WriterStats {
    long appendedRecords;
    long appendedBytes;
    long writes;
    long syncs;
    long syncNanosTotal;
    long backpressureWaits;
    long queuedBytes;
    long durablePosition;

    WriterStats copy() {
        final WriterStats c = new WriterStats();
        c.appendedRecords = appendedRecords;
        c.appendedBytes = appendedBytes;
        c.writes = writes;
        c.syncs = syncs;
        c.syncNanosTotal = syncNanosTotal;
        c.backpressureWaits = backpressureWaits;
        return c;
    }
}

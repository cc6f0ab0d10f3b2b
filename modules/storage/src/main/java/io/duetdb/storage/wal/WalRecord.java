package io.duetdb.storage.wal;

/** A verified record read back from a log. */
public record WalRecord(RecordType type, int flags, long term, long index, byte[] body) {
}

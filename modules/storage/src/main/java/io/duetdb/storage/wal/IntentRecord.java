package io.duetdb.storage.wal;

/**
 * An intent read back from the intent log: what a Raft entry will do.
 *
 * @param header the replication layer's header bytes (op kinds, keys, payload checksum, client ids)
 * @param payload the batch's payload (values)
 */
public record IntentRecord(long term, long index, byte[] header, byte[] payload) {
}

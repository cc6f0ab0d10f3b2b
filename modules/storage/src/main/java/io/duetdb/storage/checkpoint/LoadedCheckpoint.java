package io.duetdb.storage.checkpoint;

import io.duetdb.storage.table.KvTable;

/**
 * A checkpoint that verified, and the table it held (last applied revision = the checkpoint index).
 *
 * @param info the file and what it covers
 * @param table the restored table
 */
public record LoadedCheckpoint(CheckpointInfo info, KvTable table) {
    /** Both parts are required. */
    public LoadedCheckpoint {
        if (info == null || table == null) {
            throw new IllegalArgumentException("info=" + info + " table=" + table + ": both are required");
        }
    }
}

package io.duetdb.storage.checkpoint;

import io.duetdb.storage.table.KvTable;

/** A verified checkpoint and the table it held. */
public record LoadedCheckpoint(CheckpointInfo info, KvTable table) {
}

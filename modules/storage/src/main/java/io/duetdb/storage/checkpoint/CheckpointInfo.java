package io.duetdb.storage.checkpoint;

import java.nio.file.Path;

/** A checkpoint file and what it covers: the table as of {@code index}. */
public record CheckpointInfo(Path file, long index, long term, long entryCount, long sizeBytes) {
}

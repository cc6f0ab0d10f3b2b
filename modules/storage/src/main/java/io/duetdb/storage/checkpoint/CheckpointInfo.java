package io.duetdb.storage.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint file and what it covers.
 *
 * @param file the checkpoint file
 * @param index the Raft index the table is as of (its last applied revision once loaded)
 * @param term the Raft term of that index
 * @param entryCount keys in the checkpoint; -1 when unknown ({@link CheckpointStore#list()} of a
 *     file whose header does not verify)
 * @param sizeBytes the file's length
 */
public record CheckpointInfo(Path file, long index, long term, long entryCount, long sizeBytes) {
    /** Checks the fields are possible. */
    public CheckpointInfo {
        if (file == null || index < 0 || term < 0 || entryCount < -1 || sizeBytes < 0) {
            throw new IllegalArgumentException("file=" + file + " index=" + index + " term=" + term + " entryCount="
                + entryCount + " sizeBytes=" + sizeBytes + ": need a file, index, term, sizeBytes >= 0, entryCount >= -1");
        }
    }
}

package io.duetdb.storage.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint failed verification; says where. */
public final class CorruptCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long offset;

    public CorruptCheckpointException(final Path file, final long offset, final String what) {
        super("checkpoint " + file + " is corrupt at offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}

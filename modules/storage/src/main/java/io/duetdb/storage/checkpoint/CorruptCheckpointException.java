package io.duetdb.storage.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file failed verification. Says which file, at which byte offset, and what is wrong;
 * a truncated file is reported at its length.
 */
public final class CorruptCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long offset;
    private final String what;

    /**
     * @param file the damaged file
     * @param offset the byte offset of the damaged structure (header, entry, trailer field)
     * @param what what is wrong there
     */
    public CorruptCheckpointException(final Path file, final long offset, final String what) {
        super("checkpoint " + file + " is corrupt at offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
        this.what = what;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset of the damaged structure. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the file and offset. */
    public String what() {
        return what;
    }
}

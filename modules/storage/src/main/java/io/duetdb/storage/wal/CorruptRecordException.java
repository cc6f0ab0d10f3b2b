package io.duetdb.storage.wal;

import java.io.IOException;
import java.nio.file.Path;

/** A record read back from disk failed verification; says exactly where. */
public final class CorruptRecordException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long offset;
    private final long index;

    public CorruptRecordException(final Path file, final long offset, final long index, final String what) {
        super("record index " + index + " in " + file + " at offset " + offset + " is corrupt: " + what);
        this.file = file;
        this.offset = offset;
        this.index = index;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public long index() {
        return index;
    }
}

package io.duetdb.storage.wal;

import io.duetdb.storage.io.LogFile;
import java.nio.file.Path;

/** One open segment file of a log. Mutable fields are guarded by the owning log's lock. */
final class Segment {
    final long sequence;
    final long firstIndex;
    final long sizeBytes;
    final Path path;
    final LogFile file;
    /** Next free file offset for a record (records are appended, never rewritten). */
    long appendOffset;
    /** Highest index of any record in this segment, or firstIndex - 1 when empty. */
    long lastIndex;

    Segment(final long sequence, final long firstIndex, final long sizeBytes, final Path path, final LogFile file,
            final long appendOffset, final long lastIndex) {
        this.sequence = sequence;
        this.firstIndex = firstIndex;
        this.sizeBytes = sizeBytes;
        this.path = path;
        this.file = file;
        this.appendOffset = appendOffset;
        this.lastIndex = lastIndex;
    }

    long remainingBytes() {
        return sizeBytes - appendOffset;
    }

    @Override
    public String toString() {
        return path.getFileName().toString();
    }
}

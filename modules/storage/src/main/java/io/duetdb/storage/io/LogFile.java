package io.duetdb.storage.io;

import java.nio.file.Path;

/**
 * An open file of a write-ahead log, as a backend sees it. Instances are created by
 * {@link IoBackend#open(Path)} and are only valid on the backend that created them.
 */
public interface LogFile {
    /** The path the file was opened with. Renaming the file later does not change this value. */
    Path path();
}

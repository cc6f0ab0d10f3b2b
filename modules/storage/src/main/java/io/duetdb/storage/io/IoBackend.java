package io.duetdb.storage.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous file I/O for one write-ahead log. Each log owns one backend instance, so the intent
 * log and the completion log never queue behind each other (one io_uring ring or one writer
 * thread each).
 *
 * <p>Futures complete on the backend's own thread: callers must not block in their continuations
 * (use the {@code ...Async} variants with an executor of their own).
 *
 * <p>Buffers passed to {@link #write} and {@link #read} must be direct and must stay untouched
 * until the returned future completes: io_uring reads them from another thread by address.
 */
public interface IoBackend extends AutoCloseable {

    /** The name reported in logs and metrics: {@code io_uring} or {@code filechannel}. */
    String name();

    /** Opens an existing file for reading and writing. A control-path call: it blocks. */
    LogFile open(Path path) throws IOException;

    /**
     * Writes all of {@code src} (position to limit) at {@code fileOffset}; short writes are
     * resubmitted by the backend. With {@code datasync} the future completes only after an
     * fdatasync issued after the write completed has also succeeded. Any failure completes the
     * future exceptionally with an {@link IOException}; the caller must treat the log as failed
     * (an fsync is never retried).
     */
    CompletableFuture<Void> write(LogFile file, long fileOffset, ByteBuffer src, boolean datasync);

    /** fdatasync of the file. */
    CompletableFuture<Void> datasync(LogFile file);

    /**
     * Reads {@code dst.remaining()} bytes at {@code fileOffset} into {@code dst}. The future
     * yields the number of bytes read, which is less than asked only at the end of the file.
     */
    CompletableFuture<Integer> read(LogFile file, long fileOffset, ByteBuffer dst);

    /** Closes one file. Outstanding operations on it must have completed. */
    void close(LogFile file) throws IOException;

    /** Stops the backend's thread. Files still open are closed. */
    @Override
    void close();
}

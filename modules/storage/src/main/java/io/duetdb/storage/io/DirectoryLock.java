package io.duetdb.storage.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS lock on {@code <dir>/LOCK}, so two processes (or two opens in one process) never share a
 * data directory. Released by {@link #close()} or when the process dies.
 */
public final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(final FileChannel channel, final FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it.
     *
     * @throws IOException naming the directory when it is already locked
     */
    public static DirectoryLock acquire(final Path dir) throws IOException {
        Files.createDirectories(dir);
        final FileChannel channel = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        final FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (final OverlappingFileLockException e) {
            channel.close();
            throw new IOException("data directory " + dir + " is already open in this process", e);
        } catch (final IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("data directory " + dir + " is in use by another process (LOCK is held)");
        }
        return new DirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}

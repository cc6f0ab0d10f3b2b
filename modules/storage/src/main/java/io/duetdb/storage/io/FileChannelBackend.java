package io.duetdb.storage.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The portable backend: one writer thread per log doing positional {@code FileChannel.write}
 * and {@code force(false)} (fdatasync). Measured here, it matches io_uring at equal depth, so it
 * is a full-speed fallback where a sandbox blocks io_uring.
 */
public final class FileChannelBackend implements IoBackend {

    private static final int SHUTDOWN_WAIT_SECONDS = 30;

    private final ExecutorService writer;

    /** @param logName used to name the writer thread, e.g. {@code intent} */
    public FileChannelBackend(final String logName) {
        this.writer = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "duet-wal-" + logName + "-writer");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "filechannel";
    }

    @Override
    public LogFile open(final Path path) throws IOException {
        return new ChannelFile(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    @Override
    public CompletableFuture<Void> write(
        final LogFile file, final long fileOffset, final ByteBuffer src, final boolean datasync) {
        final FileChannel channel = channel(file);
        return run(() -> {
            long offset = fileOffset;
            while (src.hasRemaining()) {
                offset += channel.write(src, offset);
            }
            if (datasync) {
                channel.force(false);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> datasync(final LogFile file) {
        final FileChannel channel = channel(file);
        return run(() -> {
            channel.force(false);
            return null;
        });
    }

    @Override
    public CompletableFuture<Integer> read(final LogFile file, final long fileOffset, final ByteBuffer dst) {
        // Positional reads are safe from any thread: no need to queue behind writes.
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        try {
            final FileChannel channel = channel(file);
            int total = 0;
            while (dst.hasRemaining()) {
                final int n = channel.read(dst, fileOffset + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            result.complete(total);
        } catch (final IOException | RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public void close(final LogFile file) throws IOException {
        channel(file).close();
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (final InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private <T> CompletableFuture<T> run(final IoCall<T> call) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    result.complete(call.call());
                } catch (final IOException e) {
                    result.completeExceptionally(e);
                } catch (final UncheckedIOException e) {
                    result.completeExceptionally(e.getCause());
                } catch (final RuntimeException e) {
                    result.completeExceptionally(new IOException(e.toString(), e));
                }
            });
        } catch (final RejectedExecutionException e) {
            result.completeExceptionally(new IOException("the log's writer thread has stopped", e));
        }
        return result;
    }

    private static FileChannel channel(final LogFile file) {
        if (!(file instanceof ChannelFile)) {
            throw new IllegalArgumentException("file was not opened by this backend: " + file.path());
        }
        return ((ChannelFile) file).channel;
    }

    private static final class ChannelFile implements LogFile {
        private final Path path;
        private final FileChannel channel;

        ChannelFile(final Path path, final FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        @Override
        public Path path() {
            return path;
        }
    }
}

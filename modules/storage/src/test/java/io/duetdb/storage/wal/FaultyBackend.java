package io.duetdb.storage.wal;

import io.duetdb.storage.io.IoBackend;
import io.duetdb.storage.io.LogFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a real backend and fails the Nth write or the Nth fdatasync (plain or in a durable write) with EIO. */
final class FaultyBackend implements IoBackend {
    private final IoBackend delegate;
    private final int failWriteNumber;
    private final int failSyncNumber;
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger syncs = new AtomicInteger();

    FaultyBackend(final IoBackend delegate, final int failWriteNumber, final int failSyncNumber) {
        this.delegate = delegate;
        this.failWriteNumber = failWriteNumber;
        this.failSyncNumber = failSyncNumber;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public LogFile open(final Path path) throws IOException {
        return delegate.open(path);
    }

    @Override
    public CompletableFuture<Void> write(final LogFile file, final long fileOffset, final ByteBuffer src,
                                         final boolean datasync) {
        if (writes.incrementAndGet() == failWriteNumber) {
            return CompletableFuture.failedFuture(new IOException("injected write failure: EIO"));
        }
        // A durable write carries its own fdatasync: its sync part can fail like a plain one.
        if (datasync && syncs.incrementAndGet() == failSyncNumber) {
            return CompletableFuture.failedFuture(new IOException("injected fdatasync failure: EIO"));
        }
        return delegate.write(file, fileOffset, src, datasync);
    }

    @Override
    public CompletableFuture<Void> datasync(final LogFile file) {
        if (syncs.incrementAndGet() == failSyncNumber) {
            return CompletableFuture.failedFuture(new IOException("injected fdatasync failure: EIO"));
        }
        return delegate.datasync(file);
    }

    @Override
    public CompletableFuture<Integer> read(final LogFile file, final long fileOffset, final ByteBuffer dst) {
        return delegate.read(file, fileOffset, dst);
    }

    @Override
    public void close(final LogFile file) throws IOException {
        delegate.close(file);
    }

    @Override
    public void close() {
        delegate.close();
    }
}

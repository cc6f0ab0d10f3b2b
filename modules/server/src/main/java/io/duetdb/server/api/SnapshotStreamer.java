package io.duetdb.server.api;

import com.google.protobuf.ByteString;
import io.duetdb.api.v1.ResponseHeader;
import io.duetdb.api.v1.SnapshotChunk;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Streams snapshot files as {@link SnapshotChunk}s of {@link #CHUNK_BYTES}, sending only while the
 * client keeps up (gRPC flow control), so a slow download holds one chunk in memory, not the
 * snapshot. Files are opened before the first chunk, so a snapshot purged meanwhile stays readable.
 */
final class SnapshotStreamer {
    static final int CHUNK_BYTES = 1 << 20;
    /** A client that reads nothing for this long is dropped. */
    static final long STALLED_CLIENT_TIMEOUT_MS = 60_000;

    private SnapshotStreamer() {
    }

    /**
     * A permit source for {@code out}'s readiness; must be called in the RPC method itself (gRPC
     * accepts the handler only before the method returns).
     */
    static Semaphore readiness(final ServerCallStreamObserver<SnapshotChunk> out) {
        final Semaphore ready = new Semaphore(0);
        out.setOnReadyHandler(ready::release);
        return ready;
    }

    static void stream(final List<Path> files, final long index, final long term, final ResponseHeader header,
                       final ServerCallStreamObserver<SnapshotChunk> out, final Semaphore ready)
        throws IOException, InterruptedException {
        final List<FileChannel> channels = new ArrayList<>();
        try {
            long totalBytes = 0;
            for (final Path f : files) {
                final FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
                channels.add(ch);
                totalBytes += ch.size();
            }
            boolean first = true;
            for (int i = 0; i < files.size(); i++) {
                final FileChannel ch = channels.get(i);
                final CRC32C crc = new CRC32C();
                final long size = ch.size();
                long offset = 0;
                do {
                    final ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, size - offset));
                    while (buf.hasRemaining()) {
                        if (ch.read(buf, offset + buf.position()) < 0) {
                            throw new IOException(files.get(i) + " ended early at " + (offset + buf.position()));
                        }
                    }
                    buf.flip();
                    crc.update(buf.duplicate());
                    final boolean last = offset + buf.remaining() >= size;
                    final SnapshotChunk.Builder c = SnapshotChunk.newBuilder()
                        .setFileName(files.get(i).getFileName().toString()).setOffset(offset)
                        .setData(ByteString.copyFrom(buf)).setLastInFile(last);
                    if (last) {
                        c.setFileCrc32C((int) crc.getValue());
                    }
                    if (first) {
                        c.setSnapshotIndex(index).setSnapshotTerm(term).setHeader(header).setTotalBytes(totalBytes);
                        first = false;
                    }
                    awaitReady(out, ready);
                    out.onNext(c.build());
                    offset += c.getData().size();
                } while (offset < size);
            }
            out.onCompleted();
        } finally {
            for (final FileChannel ch : channels) {
                ch.close();
            }
        }
    }

    private static void awaitReady(final ServerCallStreamObserver<?> out, final Semaphore ready)
        throws InterruptedException {
        while (!out.isReady()) {
            if (out.isCancelled()) {
                throw Status.CANCELLED.withDescription("the client cancelled the download").asRuntimeException();
            }
            if (!ready.tryAcquire(STALLED_CLIENT_TIMEOUT_MS, TimeUnit.MILLISECONDS) && !out.isReady()) {
                throw Status.DEADLINE_EXCEEDED.withDescription("the client read nothing for "
                    + STALLED_CLIENT_TIMEOUT_MS + " ms").asRuntimeException();
            }
        }
    }
}

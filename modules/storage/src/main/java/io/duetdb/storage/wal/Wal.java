package io.duetdb.storage.wal;

import io.duetdb.storage.io.DirectorySync;
import io.duetdb.storage.io.IoBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One write-ahead log: a directory of segments, its I/O backend, a group-commit writer and an
 * index of where every record is. Opening runs the recovery scan: a torn tail is cut (zeroed and
 * fsynced), anything else that is damaged is left in place and reported in {@link #scanReport()}.
 *
 * <p>Records are appended in strictly increasing index order; a {@link RecordType#TRUNCATE} record
 * drops every record above its index, after which indexes continue from there. Futures complete
 * on the log's completer thread: do not block in their continuations.
 */
public final class Wal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Wal.class);
    private static final int CLOSE_FLUSH_TIMEOUT_SECONDS = 30;

    private final Path dir;
    private final WalKind kind;
    private final WalOptions options;
    private final IoBackend backend;
    private final ScheduledExecutorService completer;
    private final SegmentAllocator allocator;
    private final ScanReport scanReport;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ThreadLocal<ByteBuffer> staging;
    private final GroupCommitWriter writer;

    // Guarded by appendLock.
    private final List<Segment> segments;
    private final RecordIndex recordIndex;
    private Segment active;
    private long lastIndex;
    private boolean closed;

    private Wal(final Path dir, final WalKind kind, final WalOptions options, final IoBackend backend,
                final ScheduledExecutorService completer, final ScanReport report, final List<Segment> segments,
                final RecordIndex recordIndex, final long lastIndex, final Segment active,
                final SegmentAllocator allocator) {
        this.dir = dir;
        this.kind = kind;
        this.options = options;
        this.backend = backend;
        this.completer = completer;
        this.scanReport = report;
        this.segments = segments;
        this.recordIndex = recordIndex;
        this.lastIndex = lastIndex;
        this.active = active;
        this.allocator = allocator;
        final int initialStaging = RecordDescriptor.recordLength(Math.min(64 * 1024, options.maxBodyBytes()));
        this.staging = ThreadLocal.withInitial(
            () -> ByteBuffer.allocate(initialStaging).order(ByteOrder.LITTLE_ENDIAN));
        this.writer = new GroupCommitWriter(kind.dirName(), backend, options, completer, active);
    }

    /**
     * Opens (creating if needed) the log in {@code dir} and runs its recovery scan. The backend
     * becomes owned by the log.
     *
     * @param firstIndexIfEmpty the index the first segment of an empty log is named after
     */
    public static Wal open(final Path dir, final WalKind kind, final WalOptions options, final IoBackend backend,
                           final long firstIndexIfEmpty) throws IOException {
        return open(dir, kind, options, backend, firstIndexIfEmpty, null);
    }

    /**
     * As {@link #open(Path, WalKind, WalOptions, IoBackend, long)}, also handing every valid
     * record found by the recovery scan to {@code recovered} (in log order; truncation records
     * included, so the consumer can drop what they cancel).
     */
    public static Wal open(final Path dir, final WalKind kind, final WalOptions options, final IoBackend backend,
                           final long firstIndexIfEmpty, final RecoveredRecordConsumer recovered) throws IOException {
        final ScheduledThreadPoolExecutor completer = new ScheduledThreadPoolExecutor(1, r -> {
            final Thread t = new Thread(r, "duet-wal-" + kind.dirName() + "-completer");
            t.setDaemon(true);
            return t;
        });
        completer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() has written everything
        SegmentAllocator allocator = null;
        final List<Segment> segments = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(SegmentAllocator.SPARE_NAME));
            final RecordIndex recordIndex = new RecordIndex();
            final java.util.Map<Path, Segment> segmentByPath = new java.util.HashMap<>();
            final ScanReport report = WalScanner.scan(dir, kind, options.maxBodyBytes(),
                (file, header) -> {
                    final Segment s = new Segment(header.sequence(), header.firstIndex(), header.sizeBytes(), file,
                        backend.open(file), SegmentDescriptor.HEADER_LENGTH, header.firstIndex() - 1);
                    segments.add(s);
                    segmentByPath.put(file, s);
                    return s;
                },
                (file, offset, type, flags, term, index, body, length) -> {
                    if (type == RecordType.TRUNCATE) {
                        recordIndex.truncateAfter(index);
                    } else if ((flags & RecordDescriptor.FLAG_REPAIR) != 0) {
                        recordIndex.replace(index, segmentByPath.get(file), offset, length, term, 0);
                    } else {
                        recordIndex.put(index, segmentByPath.get(file), offset, length, term, 0);
                    }
                    if (recovered != null) {
                        recovered.accept(type, flags, term, index, body);
                    }
                });
            if (report.tornTail() != null) {
                cutTornTail(report.tornTail());
            }
            for (final ScanReport.Corruption c : report.corruptions()) {
                LOG.error("{} log: corruption at {}", kind.dirName(), c);
            }
            allocator = new SegmentAllocator(dir, kind, options.segmentSizeBytes(), backend);
            final long lastIndex = report.lastIndex() >= 0 ? report.lastIndex() : firstIndexIfEmpty - 1;
            Segment active = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            final ScanReport.SegmentSummary lastSummary = report.segments().isEmpty() ? null
                : report.segments().get(report.segments().size() - 1);
            final boolean appendable = active != null && lastSummary != null && lastSummary.appendOffset() >= 0
                && lastSummary.sequence() == active.sequence;
            if (!appendable) {
                final long sequence = report.segments().isEmpty() ? 1
                    : report.segments().get(report.segments().size() - 1).sequence() + 1;
                active = allocator.newSegment(sequence, lastIndex + 1, lastIndex);
                segments.add(active);
            }
            return new Wal(dir, kind, options, backend, completer, report, segments, recordIndex, lastIndex, active,
                allocator);
        } catch (final IOException | RuntimeException e) {
            for (final Segment s : segments) {
                closeQuietly(backend, s);
            }
            if (allocator != null) {
                allocator.close();
            }
            backend.close();
            completer.shutdownNow();
            throw e;
        }
    }

    private static void cutTornTail(final ScanReport.TornTail torn) throws IOException {
        LOG.warn("cutting torn tail: {}", torn);
        SegmentAllocator.zeroRange(torn.file(), torn.offset(), torn.lengthBytes());
    }

    /** What the recovery scan found when this log opened. */
    public ScanReport scanReport() {
        return scanReport;
    }

    public WalKind kind() {
        return kind;
    }

    public Path directory() {
        return dir;
    }

    /** The backend's name: {@code io_uring} or {@code filechannel}. */
    public String backendName() {
        return backend.name();
    }

    /**
     * Appends a record. Blocks only for backpressure (a full buffer) and, rarely, for a new
     * segment.
     *
     * @return the writer position just past the record, for {@link #whenDurable(long)}
     * @throws IllegalArgumentException for an index out of order or a body over the limit
     * @throws IOException when the log has failed or is closed
     */
    public long append(final RecordType type, final int flags, final long term, final long index,
                       final ByteBuffer body) throws IOException {
        if (!kind.allows(type)) {
            throw new IllegalArgumentException(type + " records do not belong in the " + kind.dirName() + " log");
        }
        if (body.remaining() > options.maxBodyBytes()) {
            throw new RecordTooLargeException(kind.dirName(), body.remaining(), options.maxBodyBytes());
        }
        final ByteBuffer record = encode(type, flags, term, index, body);
        appendLock.lock();
        try {
            if (closed) {
                throw new IOException("the " + kind.dirName() + " log is closed");
            }
            if (type == RecordType.TRUNCATE ? index > lastIndex : index <= lastIndex) {
                throw new IllegalArgumentException(type + " index " + index + " out of order: the last index is "
                    + lastIndex);
            }
            if (record.remaining() > active.remainingBytes()) {
                active = allocator.newSegment(active.sequence + 1, index, lastIndex);
                segments.add(active);
            }
            final int offset = (int) active.appendOffset;
            final long end = writer.append(record, active);
            if (type == RecordType.TRUNCATE) {
                recordIndex.truncateAfter(index);
            } else {
                recordIndex.put(index, active, offset, record.remaining(), term, end);
                active.lastIndex = index;
            }
            lastIndex = index;
            return end;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Appends a repaired copy of record {@code index}. At or below the last index it is flagged
     * {@link RecordDescriptor#FLAG_REPAIR}: from now on, and after a restart, reads of that index
     * return it, and the log's last index does not move. Above the last index it is an ordinary
     * append.
     *
     * @return the writer position just past the record, for {@link #whenDurable(long)}
     */
    public long appendRepair(final RecordType type, final long term, final long index, final ByteBuffer body)
        throws IOException {
        appendLock.lock();
        try {
            if (index > lastIndex) {
                // The log lost its end (a deleted or cut last segment): the copy simply extends it.
                return append(type, 0, term, index, body);
            }
        } finally {
            appendLock.unlock();
        }
        if (body.remaining() > options.maxBodyBytes()) {
            throw new RecordTooLargeException(kind.dirName(), body.remaining(), options.maxBodyBytes());
        }
        final ByteBuffer record = encode(type, RecordDescriptor.FLAG_REPAIR, term, index, body);
        appendLock.lock();
        try {
            if (closed) {
                throw new IOException("the " + kind.dirName() + " log is closed");
            }
            if (type != RecordType.INTENT || index > lastIndex || index < 0) {
                throw new IllegalArgumentException("cannot repair " + type + " index " + index + ": only intents at "
                    + "or below the last index " + lastIndex + " are repaired");
            }
            if (record.remaining() > active.remainingBytes()) {
                active = allocator.newSegment(active.sequence + 1, lastIndex + 1, lastIndex);
                segments.add(active);
            }
            final int offset = (int) active.appendOffset;
            final long end = writer.append(record, active);
            recordIndex.replace(index, active, offset, record.remaining(), term, end);
            return end;
        } finally {
            appendLock.unlock();
        }
    }

    private ByteBuffer encode(final RecordType type, final int flags, final long term, final long index,
                              final ByteBuffer body) {
        final int length = RecordDescriptor.recordLength(body.remaining());
        ByteBuffer buffer = staging.get();
        if (buffer.capacity() < length) {
            buffer = ByteBuffer.allocate(Math.max(length, buffer.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
            staging.set(buffer);
        }
        buffer.clear();
        RecordDescriptor.encode(buffer, type, flags, term, index, body);
        buffer.flip();
        return buffer;
    }

    /** Completes when every record before {@code position} is fsynced. */
    public CompletableFuture<Void> whenDurable(final long position) {
        return writer.whenDurable(position);
    }

    /** Completes when every record before {@code position} is written (maybe not yet fsynced). */
    public CompletableFuture<Void> whenWritten(final long position) {
        return writer.whenWritten(position);
    }

    /** Receives the records a recovery scan verified. The body is only valid during the call. */
    public interface RecoveredRecordConsumer {
        void accept(RecordType type, int flags, long term, long index, ByteBuffer body);
    }

    /** Completes when every record through {@code index} is fsynced. */
    public CompletableFuture<Void> syncThrough(final long index) {
        final long position;
        appendLock.lock();
        try {
            if (index >= lastIndex) {
                position = writer.appendedPosition();
            } else {
                final RecordIndex.Location location = recordIndex.floor(index);
                position = location == null ? 0 : location.endPosition();
            }
        } finally {
            appendLock.unlock();
        }
        return writer.whenDurable(position);
    }

    /**
     * Reads a record back and verifies it (checksums, index, term when {@code expectedTerm >= 0}).
     * The future fails with {@link CorruptRecordException} on a mismatch, and with
     * {@link java.util.NoSuchElementException} when the log holds no record with that index.
     */
    public CompletableFuture<WalRecord> read(final long index, final long expectedTerm) {
        final RecordIndex.Location location;
        appendLock.lock();
        try {
            location = recordIndex.get(index);
        } finally {
            appendLock.unlock();
        }
        if (location == null) {
            return CompletableFuture.failedFuture(new java.util.NoSuchElementException(
                "the " + kind.dirName() + " log holds no record with index " + index));
        }
        final ByteBuffer buffer = ByteBuffer.allocateDirect(location.length()).order(ByteOrder.LITTLE_ENDIAN);
        return writer.whenWritten(location.endPosition())
            .thenCompose(ignored -> backend.read(location.segment().file, location.offset(), buffer))
            .thenApply(bytesRead -> verify(location, index, expectedTerm, buffer, bytesRead));
    }

    private WalRecord verify(final RecordIndex.Location location, final long index, final long expectedTerm,
                             final ByteBuffer buffer, final int bytesRead) {
        final Path file = location.segment().path;
        final String problem = RecordDescriptor.readBackProblem(buffer, bytesRead, location.length(), index,
            expectedTerm);
        if (problem != null) {
            throw new CompletionException(new CorruptRecordException(file, location.offset(), index, problem));
        }
        final byte[] body = new byte[RecordDescriptor.bodyLength(buffer, 0)];
        buffer.get(RecordDescriptor.HEADER_LENGTH, body);
        return new WalRecord(RecordDescriptor.type(buffer, 0), RecordDescriptor.flags(buffer, 0),
            RecordDescriptor.term(buffer, 0), index, body);
    }

    /** The term of the record with this index, or -1 when absent. */
    public long termOf(final long index) {
        appendLock.lock();
        try {
            final RecordIndex.Location location = recordIndex.get(index);
            return location == null ? -1 : location.term();
        } finally {
            appendLock.unlock();
        }
    }

    /** Whether the log holds a record with this index. */
    public boolean contains(final long index) {
        return termOf(index) >= 0;
    }

    /** Highest index appended (after truncations), or the empty log's first index - 1. */
    public long lastIndex() {
        appendLock.lock();
        try {
            return lastIndex;
        } finally {
            appendLock.unlock();
        }
    }

    /** Lowest index still held, or -1 when the log holds no record. */
    public long firstIndex() {
        appendLock.lock();
        try {
            return recordIndex.firstIndex();
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Deletes the oldest segments whose records all have an index at or below {@code index} (a
     * checkpoint covers them). The active segment is never deleted.
     *
     * @return how many segments were deleted
     */
    public int recycleThrough(final long index) throws IOException {
        final List<Segment> deleted = new ArrayList<>();
        appendLock.lock();
        try {
            while (segments.size() > 1 && segments.get(0) != active && segments.get(0).lastIndex <= index) {
                deleted.add(segments.remove(0));
            }
            if (!deleted.isEmpty()) {
                recordIndex.dropThrough(deleted.get(deleted.size() - 1).lastIndex);
            }
        } finally {
            appendLock.unlock();
        }
        if (!deleted.isEmpty()) {
            // A log that fsyncs on demand may still owe these files an fsync; settle it before
            // closing them, or the pending fsync would hit a closed file and fail the log.
            awaitDurable(writer.whenDurable(writer.appendedPosition()), "recycling");
        }
        for (final Segment s : deleted) {
            closeQuietly(backend, s);
            Files.deleteIfExists(s.path);
        }
        if (!deleted.isEmpty()) {
            DirectorySync.sync(dir);
            LOG.info("{} log: recycled {} segment(s) through index {}", kind.dirName(), deleted.size(), index);
        }
        return deleted.size();
    }

    private void awaitDurable(final CompletableFuture<Void> durable, final String what) throws IOException {
        try {
            durable.get(CLOSE_FLUSH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what + " the " + kind.dirName() + " log", e);
        } catch (final java.util.concurrent.ExecutionException e) {
            throw new IOException(what + " the " + kind.dirName() + " log: " + e.getCause().getMessage(), e.getCause());
        } catch (final java.util.concurrent.TimeoutException e) {
            throw new IOException(what + " the " + kind.dirName() + " log: not durable within "
                + CLOSE_FLUSH_TIMEOUT_SECONDS + " s", e);
        }
    }

    /** A snapshot of this log's counters. */
    public WalStats stats() {
        final WriterStats s = writer.stats();
        final int segmentCount;
        appendLock.lock();
        try {
            segmentCount = segments.size();
        } finally {
            appendLock.unlock();
        }
        return new WalStats(kind.dirName(), backend.name(), s.appendedRecords, s.appendedBytes, s.writes, s.syncs,
            s.syncNanosTotal, s.backpressureWaits, s.queuedBytes, segmentCount,
            segmentCount * options.segmentSizeBytes(), writer.failure() != null);
    }

    /** The error that failed this log for good, or null while it is healthy. */
    public IOException failure() {
        return writer.failure();
    }

    /**
     * Waits (bounded) for appended records to become durable, then closes the files, the ring and
     * the backend.
     */
    @Override
    public void close() {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            appendLock.unlock();
        }
        try {
            awaitDurable(writer.whenDurable(writer.appendedPosition()), "closing");
        } catch (final IOException e) {
            LOG.warn("{} log: closing without flushing everything: {}", kind.dirName(), e.getMessage());
        }
        writer.close();
        allocator.close();
        for (final Segment s : segments) {
            closeQuietly(backend, s);
        }
        backend.close();
        completer.shutdown();
    }

    private static void closeQuietly(final IoBackend backend, final Segment segment) {
        try {
            backend.close(segment.file);
        } catch (final IOException | RuntimeException e) {
            LOG.warn("closing {} failed: {}", segment.path, e.toString());
        }
    }
}

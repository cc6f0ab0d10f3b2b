package io.duetdb.storage.wal;

import io.duetdb.storage.io.IoBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for one log. Appenders copy encoded records into a bounded ring buffer and get a
 * logical end position; the writer turns the unwritten part of the ring into one write per
 * segment and fsyncs it, so one fdatasync covers every record appended meanwhile.
 *
 * <p>Rules, each chosen for recovery:
 * <ul>
 *   <li>At most one WRITE is in flight. A crash can then only leave a torn <em>prefix</em> at the end
 *       of the log, never a hole before a later valid record, so recovery can tell a torn tail from
 *       corruption.</li>
 *   <li>The fsync of a write may overlap the next write. A write goes out as soon as the previous
 *       write completed and either nothing is being synced or the ring is more than 75% full.</li>
 *   <li>Positions become durable in order: a later fsync never releases an earlier position.</li>
 *   <li>Any I/O error fails the log for good; every waiter and every later append fails.</li>
 *   <li>A full ring blocks appenders (backpressure); nothing is dropped.</li>
 *   <li>Under {@link SyncPolicy#EVERY_WRITE} (the intent log) every append asks for a write. Under
 *       {@link SyncPolicy#ON_DEMAND} (the completion log, which no answer waits for) a write goes
 *       out only when someone waits for a position, when a quarter of the ring is unwritten, or
 *       {@link WalOptions#lazyWriteLingerMs()} after the first unwritten append. Writing each small batch
 *       of completions as it came cost three thread wake-ups per write, a fifth of the engine's
 *       CPU at 64 writers; a crash loses at most the lingering completions, which recovery
 *       rebuilds from the intents.</li>
 * </ul>
 *
 * <p>Positions are logical byte counts over the life of this writer; {@link Extents} map them to
 * (segment, file offset).
 */
final class GroupCommitWriter {
    private static final double EARLY_WRITE_FILL_RATIO = 0.75;
    /** Under {@link SyncPolicy#ON_DEMAND}: unwritten bytes that start a write at once (of the ring). */
    private static final double LAZY_WRITE_FILL_RATIO = 0.25;

    private final String logName;
    private final IoBackend backend;
    private final SyncPolicy syncPolicy;
    private final SyncListener syncListener;
    private final long lazyWriteLingerMs;
    private final ScheduledExecutorService completer;
    private final ByteBuffer ring;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition spaceFreed = lock.newCondition();

    // Guarded by lock.
    private long appendedPosition;
    private long submittedPosition;
    private long writtenPosition;
    private long durablePosition;
    private long syncRequestedPosition;
    /** Everything before it should be written as soon as the rules allow. */
    private long writeRequestedPosition;
    private boolean lingerScheduled;
    private boolean writeInFlight;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final Extents extents;
    private final Set<Segment> unsyncedSegments = new LinkedHashSet<>();
    private final PriorityQueue<Waiter> writtenWaiters = new PriorityQueue<>();
    private final PriorityQueue<Waiter> durableWaiters = new PriorityQueue<>();
    private IOException failure;
    private boolean closed;
    private final WriterStats stats = new WriterStats();

    private static final class Chunk {
        final long start;
        final long end;
        final boolean sync;
        boolean done;

        Chunk(final long start, final long end, final boolean sync) {
            this.start = start;
            this.end = end;
            this.sync = sync;
        }
    }

    private record Waiter(long position, CompletableFuture<Void> future) implements Comparable<Waiter> {
        @Override
        public int compareTo(final Waiter o) {
            return Long.compare(position, o.position);
        }
    }

    GroupCommitWriter(final String logName, final IoBackend backend, final WalOptions options,
                      final ScheduledExecutorService completer, final Segment firstSegment) {
        final int capacityBytes = options.ringCapacityBytes(); // a power of two >= 4096: WalOptions checks
        this.logName = logName;
        this.backend = backend;
        this.syncPolicy = options.syncPolicy();
        this.syncListener = options.syncListener();
        this.lazyWriteLingerMs = options.lazyWriteLingerMs();
        this.completer = completer;
        this.capacity = capacityBytes;
        this.ring = ByteBuffer.allocateDirect(capacityBytes).order(ByteOrder.LITTLE_ENDIAN);
        this.extents = new Extents(firstSegment);
    }

    int capacityBytes() {
        return capacity;
    }

    /**
     * Copies one encoded record (a whole, 8-aligned record) into the ring, blocking while the ring
     * has no room. The record goes to {@code segment} at that segment's append offset.
     *
     * @return the logical position just past the record
     */
    long append(final ByteBuffer record, final Segment segment) throws IOException {
        final int length = record.remaining();
        if (length > capacity / 2) {
            throw new IllegalArgumentException("record of " + length + " bytes exceeds half the ring ("
                + capacity + " bytes)");
        }
        lock.lock();
        try {
            while (true) {
                checkUsable();
                if (capacity - (appendedPosition - writtenPosition) >= length) {
                    break;
                }
                stats.backpressureWaits++;
                awaitSpace();
            }
            extents.startIfNew(appendedPosition, segment);
            copyIntoRing(record, appendedPosition);
            appendedPosition += length;
            segment.appendOffset += length;
            stats.appendedRecords++;
            stats.appendedBytes += length;
            requestWriteOfAppended();
            submitIfReady();
            return appendedPosition;
        } finally {
            lock.unlock();
        }
    }

    /** Decides when the records appended so far should be written. Called with the lock held. */
    private void requestWriteOfAppended() {
        if (syncPolicy == SyncPolicy.EVERY_WRITE
            || appendedPosition - submittedPosition >= capacity * LAZY_WRITE_FILL_RATIO) {
            writeRequestedPosition = appendedPosition;
        } else if (!lingerScheduled && appendedPosition > writeRequestedPosition) {
            lingerScheduled = true;
            try {
                completer.schedule(this::lingerExpired, lazyWriteLingerMs, TimeUnit.MILLISECONDS);
            } catch (final RejectedExecutionException e) {
                // Shutting down: close() has already asked for everything to be written.
                lingerScheduled = false;
            }
        }
    }

    private void lingerExpired() {
        lock.lock();
        try {
            lingerScheduled = false;
            if (appendedPosition > writeRequestedPosition) {
                writeRequestedPosition = appendedPosition;
                submitIfReady();
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitSpace() throws IOException {
        try {
            spaceFreed.await(1, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for room in the " + logName + " log", e);
        }
    }

    /** The position just past the last appended record. */
    long appendedPosition() {
        lock.lock();
        try {
            return appendedPosition;
        } finally {
            lock.unlock();
        }
    }

    /** Completes once everything before {@code position} is on disk (written and fsynced). */
    CompletableFuture<Void> whenDurable(final long position) {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (position <= durablePosition) {
                future.complete(null);
            } else if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                durableWaiters.add(new Waiter(position, future));
                syncRequestedPosition = Math.max(syncRequestedPosition, position);
                writeRequestedPosition = Math.max(writeRequestedPosition, position);
                submitIfReady();
            }
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** Completes once everything before {@code position} has been written (not necessarily fsynced). */
    CompletableFuture<Void> whenWritten(final long position) {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (position <= writtenPosition) {
                future.complete(null);
            } else if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                writtenWaiters.add(new Waiter(position, future));
                writeRequestedPosition = Math.max(writeRequestedPosition, position);
                submitIfReady();
            }
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** Counters for metrics; a copy. */
    WriterStats stats() {
        lock.lock();
        try {
            final WriterStats copy = stats.copy();
            copy.queuedBytes = appendedPosition - writtenPosition;
            copy.durablePosition = durablePosition;
            return copy;
        } finally {
            lock.unlock();
        }
    }

    /** The failure that stopped this log, or null. */
    IOException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new appends; pending ones still complete. */
    void close() {
        lock.lock();
        try {
            closed = true;
            spaceFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable() throws IOException {
        if (failure != null) {
            throw new LogFailedException("the " + logName + " log has failed: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IOException("the " + logName + " log is closed");
        }
    }

    private void copyIntoRing(final ByteBuffer record, final long position) {
        final int at = (int) (position & (capacity - 1));
        final int firstPart = Math.min(record.remaining(), capacity - at);
        final ByteBuffer src = record.duplicate();
        src.limit(src.position() + firstPart);
        ring.put(at, src, src.position(), firstPart);
        if (firstPart < record.remaining()) {
            ring.put(0, record, record.position() + firstPart, record.remaining() - firstPart);
        }
    }

    /** Starts the next write when the rules allow. Called with the lock held. */
    private void submitIfReady() {
        if (failure != null || writeInFlight) {
            return;
        }
        final boolean ringFilling = appendedPosition - writtenPosition >= capacity * EARLY_WRITE_FILL_RATIO;
        if (submittedPosition < appendedPosition && (submittedPosition < writeRequestedPosition || ringFilling)) {
            final boolean syncing = !chunks.isEmpty();
            if (!syncing || ringFilling) {
                submitWrite();
            }
            return;
        }
        if (syncRequestedPosition > durablePosition && chunks.isEmpty() && !unsyncedSegments.isEmpty()) {
            submitSyncOnly();
        }
    }

    private void submitWrite() {
        final long start = submittedPosition;
        final Extents.Extent extent = extents.of(start);
        long end = Math.min(appendedPosition, extents.endOf(extent));
        final int ringOffset = (int) (start & (capacity - 1));
        end = Math.min(end, start + (capacity - ringOffset)); // a write never wraps the ring
        final boolean sync = syncPolicy == SyncPolicy.EVERY_WRITE || syncRequestedPosition > start;
        final Chunk chunk = new Chunk(start, end, sync);
        chunks.add(chunk);
        submittedPosition = end;
        writeInFlight = true;
        final List<Segment> toSync = new ArrayList<>();
        if (sync) {
            toSync.addAll(unsyncedSegments);
            unsyncedSegments.clear();
            if (!toSync.contains(extent.segment())) {
                toSync.add(extent.segment());
            }
        } else {
            unsyncedSegments.add(extent.segment());
        }
        final ByteBuffer slice = ring.duplicate();
        slice.limit(ringOffset + (int) (end - start)).position(ringOffset);
        final long fileOffset = extent.fileOffset() + (start - extent.startPosition());
        stats.writes++;
        final long startNs = System.nanoTime();
        backend.write(extent.segment().file, fileOffset, slice, false)
            .thenCompose(ignored -> {
                // On the I/O thread: the fsync leaves straight from the write's completion. The
                // bookkeeping goes to the completer thread so the I/O thread never takes our lock.
                completer.execute(() -> onWritten(chunk, null));
                return sync ? syncAll(toSync) : CompletableFuture.completedFuture(null);
            })
            .whenCompleteAsync((ignored, error) -> onChunkDone(chunk, error, startNs), completer);
    }

    private void submitSyncOnly() {
        final Chunk chunk = new Chunk(writtenPosition, writtenPosition, true);
        chunks.add(chunk);
        final List<Segment> toSync = new ArrayList<>(unsyncedSegments);
        unsyncedSegments.clear();
        final long startNs = System.nanoTime();
        syncAll(toSync).whenCompleteAsync((ignored, error) -> onChunkDone(chunk, error, startNs), completer);
    }

    private CompletableFuture<Void> syncAll(final List<Segment> segments) {
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (final Segment s : segments) {
            all = all.thenCompose(ignored -> backend.datasync(s.file));
        }
        return all;
    }

    private void onWritten(final Chunk chunk, final Throwable error) {
        final List<Waiter> ready = new ArrayList<>();
        lock.lock();
        try {
            if (error == null && failure == null) {
                writeInFlight = false;
                writtenPosition = chunk.end;
                extents.forgetBefore(writtenPosition);
                collect(writtenWaiters, writtenPosition, ready);
                spaceFreed.signalAll();
                submitIfReady();
            }
        } finally {
            lock.unlock();
        }
        completeAll(ready, null);
    }

    private void onChunkDone(final Chunk chunk, final Throwable error, final long startNs) {
        final List<Waiter> ready = new ArrayList<>();
        IOException failedWith = null;
        lock.lock();
        try {
            if (error != null) {
                if (failure == null) {
                    final Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                    failure = new LogFailedException("the " + logName + " log failed on "
                        + (chunk.start == chunk.end ? "fdatasync" : "write or fdatasync") + " of positions "
                        + chunk.start + ".." + chunk.end + ": " + cause.getMessage(), cause);
                    ready.addAll(writtenWaiters);
                    ready.addAll(durableWaiters);
                    writtenWaiters.clear();
                    durableWaiters.clear();
                    spaceFreed.signalAll();
                }
                failedWith = failure;
            } else if (failure == null) {
                chunk.done = true;
                if (chunk.sync) {
                    final long syncNanos = System.nanoTime() - startNs;
                    stats.syncs++;
                    stats.syncNanosTotal += syncNanos;
                    try {
                        syncListener.onSync(syncNanos);
                    } catch (final RuntimeException e) {
                        // A metric must never fail the log; the count and total above still hold.
                    }
                }
                while (!chunks.isEmpty() && chunks.peekFirst().done) {
                    final Chunk head = chunks.pollFirst();
                    if (head.sync && head.end > durablePosition) {
                        durablePosition = head.end;
                    }
                }
                collect(durableWaiters, durablePosition, ready);
                submitIfReady();
            }
        } finally {
            lock.unlock();
        }
        completeAll(ready, failedWith);
    }

    private static void collect(final PriorityQueue<Waiter> waiters, final long position, final List<Waiter> out) {
        while (!waiters.isEmpty() && waiters.peek().position <= position) {
            out.add(waiters.poll());
        }
    }

    private static void completeAll(final List<Waiter> waiters, final IOException error) {
        for (final Waiter w : waiters) {
            if (error == null) {
                w.future.complete(null);
            } else {
                w.future.completeExceptionally(error);
            }
        }
    }

}

package io.duetdb.storage.wal;

import io.duetdb.storage.io.IoBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The intent log: for each Raft entry that carries data, the entry's header and payload, keyed by
 * (term, index). Nothing is acknowledged before its intent is fsynced ({@link #syncThrough}).
 *
 * <p>Intent body layout (little-endian): {@code u32 headerLength, header bytes, payload bytes}.
 */
public final class IntentLog implements AutoCloseable {
    private static final int HEADER_LENGTH_BYTES = Integer.BYTES;

    private final Wal wal;

    private IntentLog(final Wal wal) {
        this.wal = wal;
    }

    /** Opens or creates the intent log in {@code dir}; see {@link Wal#open}. */
    public static IntentLog open(final Path dir, final WalOptions options, final IoBackend backend,
                                 final long firstIndexIfEmpty) throws IOException {
        return new IntentLog(Wal.open(dir, WalKind.INTENT, options, backend, firstIndexIfEmpty));
    }

    /**
     * Appends an intent. Blocks only for backpressure.
     *
     * @return completes when the intent is written (use {@link #syncThrough} for durability)
     */
    public CompletableFuture<Void> append(final long term, final long index, final byte[] header,
                                          final ByteBuffer payload) throws IOException {
        return wal.whenWritten(appendForPosition(term, index, header, payload));
    }

    /** Appends an intent and returns the writer position for {@link Wal#whenDurable(long)}. */
    public long appendForPosition(final long term, final long index, final byte[] header, final ByteBuffer payload)
        throws IOException {
        return wal.append(RecordType.INTENT, 0, term, index, body(header, payload));
    }

    /**
     * Writes a verified copy of intent (term, index) fetched from a replica, replacing a missing or
     * damaged one at or below the last index. The future completes when the copy is durable.
     */
    public CompletableFuture<Void> appendRepair(final long term, final long index, final byte[] header,
                                                final ByteBuffer payload) throws IOException {
        return wal.whenDurable(wal.appendRepair(RecordType.INTENT, term, index, body(header, payload)));
    }

    private static ByteBuffer body(final byte[] header, final ByteBuffer payload) {
        final ByteBuffer body = ByteBuffer.allocate(HEADER_LENGTH_BYTES + header.length + payload.remaining())
            .order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(header.length).put(header).put(payload.duplicate()).flip();
        return body;
    }

    /** Completes when every intent through {@code index} is fsynced. */
    public CompletableFuture<Void> syncThrough(final long index) {
        return wal.syncThrough(index);
    }

    /** Completes when everything before a position from {@link #appendForPosition} is fsynced. */
    public CompletableFuture<Void> whenDurable(final long position) {
        return wal.whenDurable(position);
    }

    /**
     * Drops every intent above {@code index} (Raft truncated an uncommitted suffix). The future
     * completes when the truncation is durable.
     */
    public CompletableFuture<Void> truncateAfter(final long term, final long index) throws IOException {
        if (index >= wal.lastIndex()) {
            return CompletableFuture.completedFuture(null);
        }
        return wal.whenDurable(wal.append(RecordType.TRUNCATE, 0, term, index, ByteBuffer.allocate(0)));
    }

    /**
     * Reads and verifies the intent (term, index); fails with {@link CorruptRecordException} on a
     * checksum or term mismatch, and with {@link java.util.NoSuchElementException} when absent.
     * Pass {@code term < 0} to accept any term.
     */
    public CompletableFuture<IntentRecord> read(final long term, final long index) {
        return wal.read(index, term).thenApply(IntentLog::decode);
    }

    private static IntentRecord decode(final WalRecord record) {
        final ByteBuffer body = ByteBuffer.wrap(record.body()).order(ByteOrder.LITTLE_ENDIAN);
        if (body.remaining() < HEADER_LENGTH_BYTES) {
            throw new IllegalStateException("intent " + record.index() + " body is " + body.remaining() + " bytes");
        }
        final int headerLength = body.getInt();
        if (headerLength < 0 || headerLength > body.remaining()) {
            throw new IllegalStateException("intent " + record.index() + " header length " + headerLength
                + " exceeds its body");
        }
        final byte[] header = new byte[headerLength];
        body.get(header);
        final byte[] payload = new byte[body.remaining()];
        body.get(payload);
        return new IntentRecord(record.term(), record.index(), header, payload);
    }

    /** Deletes segments wholly at or below a checkpoint index. */
    public int recycleThrough(final long index) throws IOException {
        return wal.recycleThrough(index);
    }

    public long lastIndex() {
        return wal.lastIndex();
    }

    public long firstIndex() {
        return wal.firstIndex();
    }

    public long termOf(final long index) {
        return wal.termOf(index);
    }

    public boolean contains(final long index) {
        return wal.contains(index);
    }

    public ScanReport scanReport() {
        return wal.scanReport();
    }

    public WalStats stats() {
        return wal.stats();
    }

    public String backendName() {
        return wal.backendName();
    }

    public IOException failure() {
        return wal.failure();
    }

    @Override
    public void close() {
        wal.close();
    }
}

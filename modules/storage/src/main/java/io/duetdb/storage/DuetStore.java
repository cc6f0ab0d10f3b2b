package io.duetdb.storage;

import io.duetdb.storage.checkpoint.CheckpointInfo;
import io.duetdb.storage.checkpoint.CheckpointStore;
import io.duetdb.storage.io.DirectoryLock;
import io.duetdb.storage.table.BatchCodec;
import io.duetdb.storage.table.KeyRanges;
import io.duetdb.storage.table.KeyValue;
import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.table.Op;
import io.duetdb.storage.table.OpResult;
import io.duetdb.storage.table.OpValidator;
import io.duetdb.storage.table.ResultCodec;
import io.duetdb.storage.wal.CompletionLog;
import io.duetdb.storage.wal.CompletionRecord;
import io.duetdb.storage.wal.IntentLog;
import io.duetdb.storage.wal.WalStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Duet's storage engine used embedded, without replication: open a directory, write durably, read,
 * close. A write is acknowledged only after its intent is fsynced; it is then applied to the
 * in-memory table in index order and its completion is logged asynchronously. Recovery runs on
 * open (see {@link StoreRecovery} and docs/recovery.md).
 *
 * <p>Thread-safe. Each batch becomes one intent; concurrent writers share fsyncs through the
 * intent log's group commit.
 */
public final class DuetStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DuetStore.class);
    /** Embedded stores have no elections: every intent carries this term. */
    static final long EMBEDDED_TERM = 1;
    private static final byte[] NO_HEADER = new byte[0];
    private static final int CLOSE_DRAIN_SECONDS = 30;
    private static final int WRITE_TIMEOUT_SECONDS = 120;

    private final Path dir;
    private final StoreOptions options;
    private final DirectoryLock lock;
    private final KvTable table;
    private final IntentLog intents;
    private final CompletionLog completions;
    private final CheckpointStore checkpoints;
    private final RecoveryReport recoveryReport;
    private final OpValidator validator;
    private final ExecutorService background;

    private final ReentrantLock submitLock = new ReentrantLock();
    private long lastAssignedIndex; // guarded by submitLock
    private boolean closed; // guarded by submitLock

    private final ReentrantLock applyLock = new ReentrantLock();
    private final ConcurrentHashMap<Long, PendingBatch> pending = new ConcurrentHashMap<>();
    private volatile long lastAppliedIndex; // written under applyLock
    private volatile long lastCheckpointIndex; // written under applyLock; read without it
    private volatile boolean checkpointScheduled;
    private volatile IOException completionFailure;

    private DuetStore(final Path dir, final StoreOptions options, final DirectoryLock lock,
                      final StoreRecovery.Recovered recovered) {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
        this.table = recovered.table();
        this.intents = recovered.intents();
        this.completions = recovered.completions();
        this.checkpoints = recovered.checkpoints();
        this.recoveryReport = recovered.report();
        this.validator = new OpValidator(options.limits());
        this.lastAssignedIndex = Math.max(table.lastAppliedRevision(), intents.lastIndex());
        this.lastAppliedIndex = table.lastAppliedRevision();
        this.lastCheckpointIndex = recoveryReport.checkpointIndex();
        this.background = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "duet-store-checkpoint");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (creating if needed) a store in {@code dir} and recovers it.
     *
     * @throws CorruptStoreException when data above the last checkpoint is damaged or missing
     * @throws IOException when the directory is in use by another process, or on I/O errors
     */
    public static DuetStore open(final Path dir, final StoreOptions options) throws IOException {
        final DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            final StoreRecovery.Recovered recovered = StoreRecovery.recover(dir, options, EMBEDDED_TERM);
            final DuetStore store = new DuetStore(dir, options, lock, recovered);
            LOG.info("opened store {}: io backend {}, checkpoint index {}, recovered through index {} in {} ms ({})",
                dir, recovered.intents().backendName(), recovered.report().checkpointIndex(),
                recovered.report().lastIndex(), recovered.report().durationMs(), recovered.report().actions());
            return store;
        } catch (final IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Puts a key, durably. */
    public OpResult.PutResult put(final byte[] key, final byte[] value) throws IOException {
        return (OpResult.PutResult) submit(List.of(new Op.Put(key, value, true))).get(0);
    }

    /** Deletes a key, durably. */
    public OpResult.DeleteResult delete(final byte[] key) throws IOException {
        return (OpResult.DeleteResult) submit(List.of(new Op.DeleteRange(key, null, true))).get(0);
    }

    /** Applies a batch durably and atomically; blocks until it is durable and applied. */
    public List<OpResult> submit(final List<Op> ops) throws IOException {
        try {
            return submitAsync(ops).get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a write", e);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IOException(cause);
        } catch (final TimeoutException e) {
            throw new IOException("a write was not durable within " + WRITE_TIMEOUT_SECONDS + " s", e);
        }
    }

    /**
     * Applies a batch durably and atomically. The future completes with one result per op after
     * the batch's intent is fsynced and the batch applied.
     *
     * @throws io.duetdb.storage.table.InvalidOpException for a request over a limit
     * @throws IOException when the store is closed or its intent log has failed
     */
    public CompletableFuture<List<OpResult>> submitAsync(final List<Op> ops) throws IOException {
        validator.validateBatch(ops);
        final ByteBuffer payload = ByteBuffer.wrap(BatchCodec.encode(ops));
        final PendingBatch batch;
        final long position;
        submitLock.lock();
        try {
            if (closed) {
                throw new IOException("the store at " + dir + " is closed");
            }
            final long index = lastAssignedIndex + 1;
            batch = new PendingBatch(index, ops);
            position = intents.appendForPosition(EMBEDDED_TERM, index, NO_HEADER, payload);
            lastAssignedIndex = index;
            pending.put(index, batch);
        } finally {
            submitLock.unlock();
        }
        intents.whenDurable(position).whenComplete((ignored, error) -> {
            if (error != null) {
                pending.remove(batch.index);
                batch.result.completeExceptionally(error);
            } else {
                batch.durable = true;
                applyDurable();
            }
        });
        return batch.result;
    }

    /** Applies every durable batch that is next in index order. Any thread may call it. */
    private void applyDurable() {
        final List<PendingBatch> done = new ArrayList<>();
        final List<List<OpResult>> results = new ArrayList<>();
        applyLock.lock();
        try {
            PendingBatch next;
            while ((next = pending.get(lastAppliedIndex + 1)) != null && next.durable) {
                pending.remove(next.index);
                final List<OpResult> applied = table.apply(next.index, next.ops);
                lastAppliedIndex = next.index;
                appendCompletion(next.index, next.ops.size(), ResultCodec.checksum(applied));
                done.add(next);
                results.add(applied);
            }
        } finally {
            applyLock.unlock();
        }
        for (int i = 0; i < done.size(); i++) {
            done.get(i).result.complete(results.get(i));
        }
        maybeScheduleCheckpoint();
    }

    private void appendCompletion(final long index, final int opCount, final int checksum) {
        if (completionFailure != null) {
            return;
        }
        try {
            completions.append(new CompletionRecord(EMBEDDED_TERM, index, CompletionRecord.STATUS_APPLIED, opCount,
                checksum, System.currentTimeMillis()));
        } catch (final IOException e) {
            // Completions are not needed for correctness (recovery re-applies intents), so writes
            // go on; the failure is reported in status() and the log stays failed for good.
            completionFailure = e;
            LOG.error("the completion log failed; writes continue, recovery will rebuild it: {}", e.getMessage());
        }
    }

    private void maybeScheduleCheckpoint() {
        final long every = options.checkpointEveryOps();
        if (every == 0 || checkpointScheduled || lastAppliedIndex - lastCheckpointIndex < every) {
            return;
        }
        checkpointScheduled = true;
        background.execute(() -> {
            try {
                checkpoint();
            } catch (final IOException | RuntimeException e) {
                LOG.error("automatic checkpoint failed: {}", e.toString());
            } finally {
                checkpointScheduled = false;
            }
        });
    }

    /**
     * Writes the table to a checkpoint and recycles log segments. Segments are recycled only through
     * the <em>previous</em> checkpoint, so a damaged newest checkpoint can still be rebuilt from the
     * one before it plus the intents.
     */
    public CheckpointInfo checkpoint() throws IOException {
        final CheckpointInfo info;
        final long previous;
        applyLock.lock(); // applies wait while the table is written: the checkpoint is one consistent index
        try {
            previous = lastCheckpointIndex;
            info = checkpoints.write(table, lastAppliedIndex, EMBEDDED_TERM);
            lastCheckpointIndex = info.index();
        } finally {
            applyLock.unlock();
        }
        if (previous > 0) {
            intents.recycleThrough(previous);
            completions.recycleThrough(previous);
        }
        LOG.info("checkpoint {} at index {} ({} keys)", info.file().getFileName(), info.index(), info.entryCount());
        return info;
    }

    /** The value of a key, or null. Reads see every acknowledged write. */
    public KeyValue get(final byte[] key) {
        return table.get(key);
    }

    /** Keys in [key, rangeEnd) (etcd range rules), at most {@code limit} (0 = no limit). */
    public OpResult.RangeResult range(final byte[] key, final byte[] rangeEnd, final long limit) {
        return table.range(key, rangeEnd, limit, false, false);
    }

    /** Keys starting with {@code prefix}, at most {@code limit} (0 = no limit). */
    public OpResult.RangeResult scanPrefix(final byte[] prefix, final long limit) {
        return table.range(prefix, KeyRanges.prefixEnd(prefix), limit, false, false);
    }

    /** What recovery found and did when this store opened. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** A deterministic digest of the table: equal on stores that applied the same batches. */
    public long digest() {
        applyLock.lock();
        try {
            return table.digest();
        } finally {
            applyLock.unlock();
        }
    }

    /** The last applied index (= the revision of the newest change). */
    public long lastAppliedIndex() {
        return lastAppliedIndex;
    }

    /** Number of keys. */
    public long size() {
        return table.size();
    }

    /** The I/O backend the logs use. */
    public String ioBackend() {
        return intents.backendName();
    }

    /** Counters of both logs. */
    public List<WalStats> walStats() {
        return List.of(intents.stats(), completions.stats());
    }

    /** The completion log's failure, if it failed (writes go on without it), else null. */
    public IOException completionFailure() {
        return completionFailure != null ? completionFailure : completions.failure();
    }

    /** Stops taking writes, waits (bounded) for accepted ones, and closes the logs. */
    @Override
    public void close() throws IOException {
        submitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            submitLock.unlock();
        }
        final CompletableFuture<?>[] inFlight = pending.values().stream().map(p -> p.result)
            .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(inFlight).get(CLOSE_DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException e) {
            LOG.warn("closing with writes that did not complete: {}", e.toString());
        }
        background.shutdown();
        try {
            background.awaitTermination(CLOSE_DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        intents.close();
        completions.close();
        lock.close();
    }
}

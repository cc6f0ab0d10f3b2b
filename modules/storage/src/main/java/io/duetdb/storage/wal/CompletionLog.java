package io.duetdb.storage.wal;

import io.duetdb.storage.io.IoBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The completion log: one fixed-size record per applied batch, appended after apply and fsynced
 * only on demand, because an answer never waits for it. Recovery uses it to check that
 * re-applying an intent gives the same result as the first time.
 */
public final class CompletionLog implements AutoCloseable {
    private final Wal wal;
    private final TreeMap<Long, CompletionRecord> recovered;

    private CompletionLog(final Wal wal, final TreeMap<Long, CompletionRecord> recovered) {
        this.wal = wal;
        this.recovered = recovered;
    }

    /**
     * Opens or creates the completion log, keeping the recovered completions above
     * {@code keepAboveIndex} for {@link #recovered()}.
     */
    public static CompletionLog open(final Path dir, final WalOptions options, final IoBackend backend,
                                     final long firstIndexIfEmpty, final long keepAboveIndex) throws IOException {
        final TreeMap<Long, CompletionRecord> recovered = new TreeMap<>();
        final Wal wal = Wal.open(dir, WalKind.COMPLETION, options, backend, firstIndexIfEmpty,
            (type, flags, term, index, body) -> {
                if (index > keepAboveIndex) {
                    recovered.put(index, CompletionRecord.decode(term, index, body));
                }
            });
        return new CompletionLog(wal, recovered);
    }

    /**
     * Appends a completion. It is written within a few milliseconds, or at once when someone waits
     * for it ({@link #syncThrough}, {@link #read}): nothing that answers a client waits for it.
     */
    public void append(final CompletionRecord completion) throws IOException {
        wal.append(RecordType.COMPLETION, 0, completion.term(), completion.index(), completion.encodeBody());
    }

    /** Completions found by the recovery scan above the requested index, by index. */
    public java.util.NavigableMap<Long, CompletionRecord> recovered() {
        return recovered;
    }

    /** Frees the recovered map once recovery is done. */
    public void forgetRecovered() {
        recovered.clear();
    }

    public CompletableFuture<Void> syncThrough(final long index) {
        return wal.syncThrough(index);
    }

    public CompletableFuture<CompletionRecord> read(final long index) {
        return wal.read(index, -1).thenApply(r -> CompletionRecord.decode(r.term(), r.index(),
            ByteBuffer.wrap(r.body())));
    }

    public int recycleThrough(final long index) throws IOException {
        return wal.recycleThrough(index);
    }

    public long lastIndex() {
        return wal.lastIndex();
    }

    public ScanReport scanReport() {
        return wal.scanReport();
    }

    public WalStats stats() {
        return wal.stats();
    }

    public IOException failure() {
        return wal.failure();
    }

    @Override
    public void close() {
        wal.close();
    }
}

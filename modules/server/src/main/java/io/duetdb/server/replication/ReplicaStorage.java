package io.duetdb.server.replication;

import io.duetdb.storage.StoreOptions;
import io.duetdb.storage.io.IoBackends;
import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.wal.CompletionLog;
import io.duetdb.storage.wal.IntentLog;
import io.duetdb.storage.wal.ScanReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's engine files under its data directory, opened in recovery order:
 * {@code snapshot/} (newest snapshot, or an empty table), {@code completion/} (set aside as
 * {@code completion.corrupt-<ms>} and rebuilt when damaged: completions are derived data) and
 * {@code intent/}. Ratis keeps its own log in {@code raft/}.
 */
final class ReplicaStorage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaStorage.class);

    final SnapshotStore snapshots;
    final IntentLog intents;
    final CompletionLog completions;
    final boolean completionLogDamaged;
    final KvTable table;
    final SessionTable sessions;
    final long snapshotIndex;
    final long snapshotTerm;

    private ReplicaStorage(final SnapshotStore snapshots, final IntentLog intents, final CompletionLog completions,
                           final boolean completionLogDamaged, final Optional<SnapshotStore.Loaded> loaded) {
        this.snapshots = snapshots;
        this.intents = intents;
        this.completions = completions;
        this.completionLogDamaged = completionLogDamaged;
        this.table = loaded.map(SnapshotStore.Loaded::table).orElseGet(KvTable::new);
        this.sessions = loaded.map(SnapshotStore.Loaded::sessions).orElseGet(SessionTable::new);
        this.snapshotIndex = loaded.map(SnapshotStore.Loaded::index).orElse(0L);
        this.snapshotTerm = loaded.map(SnapshotStore.Loaded::term).orElse(0L);
    }

    static ReplicaStorage open(final Path dataDir, final StoreOptions options, final SnapshotStore snapshots)
        throws IOException {
        Files.createDirectories(snapshots.getTmpDir().toPath());
        final Optional<SnapshotStore.Loaded> loaded = snapshots.loadLatest();
        final long snapshotIndex = loaded.map(SnapshotStore.Loaded::index).orElse(0L);
        final IoBackends backends = new IoBackends(options.ioMode());
        final Path completionDir = dataDir.resolve("completion");
        CompletionLog completions = CompletionLog.open(completionDir, options.completionWal(),
            backends.create("completion"), snapshotIndex + 1, snapshotIndex);
        final ScanReport completionScan = completions.scanReport();
        if (!completionScan.clean()) {
            completions.close();
            final Path setAside = dataDir.resolve("completion.corrupt-" + System.currentTimeMillis());
            Files.move(completionDir, setAside);
            LOG.error("completion log damaged ({}); moved to {}; it is rebuilt as the intents are re-applied",
                completionScan.corruptions(), setAside);
            completions = CompletionLog.open(completionDir, options.completionWal(), backends.create("completion"),
                snapshotIndex + 1, snapshotIndex);
        }
        try {
            final IntentLog intents = IntentLog.open(dataDir.resolve("intent"), options.intentWal(),
                backends.create("intent"), snapshotIndex + 1);
            return new ReplicaStorage(snapshots, intents, completions, !completionScan.clean(), loaded);
        } catch (final IOException | RuntimeException e) {
            completions.close();
            throw e;
        }
    }

    @Override
    public void close() {
        intents.close();
        completions.close();
    }
}

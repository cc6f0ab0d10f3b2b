package io.duetdb.server.replication;

import io.duetdb.storage.StoreOptions;
import io.duetdb.storage.checkpoint.CheckpointStore;
import io.duetdb.storage.checkpoint.LoadedCheckpoint;
import io.duetdb.storage.wal.ScanReport;
import io.duetdb.storage.wal.WalKind;
import io.duetdb.storage.wal.WalScanner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Reads a live node's intent and completion logs and its newest checkpoint end to end and checks
 * every checksum, without stopping it: the scan reads segment files while writers append, so a
 * record being written may look torn at the tail (reported, not counted as damage).
 */
public final class ReplicaVerifier {
    /** One log's scan. */
    public record LogResult(String log, ScanReport report) {
    }

    /** The newest checkpoint's check: {@code error} is null when it verified. */
    public record CheckpointResult(Path file, long index, String error) {
    }

    /** All of it; {@code checkpoint} is null when there is no snapshot yet. */
    public record Result(List<LogResult> logs, CheckpointResult checkpoint) {
        public boolean ok() {
            return logs.stream().allMatch(l -> l.report().clean()) && (checkpoint == null || checkpoint.error() == null);
        }
    }

    private ReplicaVerifier() {
    }

    static Result verify(final Path dataDir, final StoreOptions options, final FileListSnapshotInfo latest)
        throws IOException {
        final List<LogResult> logs = new ArrayList<>();
        logs.add(new LogResult("intent", WalScanner.scan(dataDir.resolve("intent"), WalKind.INTENT,
            options.intentWal().maxBodyBytes(), (f, o, t, fl, term, i, body, len) -> { })));
        logs.add(new LogResult("completion", WalScanner.scan(dataDir.resolve("completion"), WalKind.COMPLETION,
            options.completionWal().maxBodyBytes(), (f, o, t, fl, term, i, body, len) -> { })));
        CheckpointResult checkpoint = null;
        if (latest != null) {
            final Path file = latest.getFiles().stream().map(FileInfo::getPath)
                .filter(p -> p.getFileName().toString().startsWith("checkpoint-")).findFirst().orElse(null);
            if (file != null) {
                String error = null;
                try {
                    final LoadedCheckpoint loaded = CheckpointStore.load(file);
                    if (loaded.info().index() != latest.getIndex()) {
                        error = "holds index " + loaded.info().index() + ", the snapshot says " + latest.getIndex();
                    }
                } catch (final IOException | RuntimeException e) {
                    error = e.getMessage();
                }
                checkpoint = new CheckpointResult(file, latest.getIndex(), error);
            }
        }
        return new Result(logs, checkpoint);
    }
}

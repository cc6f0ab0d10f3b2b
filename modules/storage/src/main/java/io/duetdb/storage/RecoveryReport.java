package io.duetdb.storage;

import io.duetdb.storage.recovery.RecoveryAction;
import io.duetdb.storage.wal.ScanReport;
import java.nio.file.Path;
import java.util.Map;

/**
 * What opening the store found and did.
 *
 * @param checkpointIndex index covered by the checkpoint recovery started from (0 for none)
 * @param checkpointFile that checkpoint, or null
 * @param intentScan the intent log's scan
 * @param completionScan the completion log's scan (of the log as found, before any rebuild)
 * @param completionLogSetAside where a damaged completion log was moved before it was rebuilt, or null
 * @param actions how many indexes took each action of the recovery rule
 * @param lastIndex the last applied index after recovery
 * @param durationMs how long recovery took
 */
public record RecoveryReport(long checkpointIndex, Path checkpointFile, ScanReport intentScan,
                             ScanReport completionScan, Path completionLogSetAside,
                             Map<RecoveryAction, Long> actions, long lastIndex, long durationMs) {

    /** How many indexes took {@code action}. */
    public long count(final RecoveryAction action) {
        return actions.getOrDefault(action, 0L);
    }
}

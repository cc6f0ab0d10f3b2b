package io.duetdb.server.replication;

import io.duetdb.storage.recovery.CompletionState;
import io.duetdb.storage.recovery.IntentState;
import io.duetdb.storage.recovery.RecoveryAction;
import io.duetdb.storage.recovery.RecoveryRule;
import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.table.Op;
import io.duetdb.storage.table.OpResult;
import io.duetdb.storage.table.ResultCodec;
import io.duetdb.storage.table.SpaceCost;
import io.duetdb.storage.wal.CompletionLog;
import io.duetdb.storage.wal.CompletionRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The deterministic part of applying a Raft entry: de-duplicate write ids against the
 * {@link SessionTable}, apply the remaining ops to the {@link KvTable} at revision = the entry's
 * index, and record a completion. Every replica makes the same decisions from the same log.
 *
 * <p>Entries re-applied after a restart are checked against the completion recorded the first
 * time (the recovery rule, {@link RecoveryRule}): a different result checksum means the replay
 * diverged, and the node must stop. Reads take the read lock so they never see half an entry.
 */
final class EntryApplier {
    /** What became of one client write. */
    enum Outcome { APPLIED, DUPLICATE, EXPIRED, SPACE_EXCEEDED }

    /**
     * The outcome of one client write: {@code result} when applied, the original revision when a
     * duplicate, and {@code refusal} (a message for the client) when the space quota refused it.
     */
    record WriteResult(Outcome outcome, long revision, OpResult result, String refusal) {
        static WriteResult of(final SessionTable.Check check) {
            return new WriteResult(switch (check.verdict()) {
                case DUPLICATE -> Outcome.DUPLICATE;
                case EXPIRED -> Outcome.EXPIRED;
                case APPLY -> throw new IllegalArgumentException("an applied write has a result");
            }, check.revision(), null, null);
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final CompletionLog completions;
    private final boolean completionLogDamaged;
    private final Map<RecoveryAction, Long> actions = new EnumMap<>(RecoveryAction.class);
    private final SpaceQuota quota;
    private NavigableMap<Long, CompletionRecord> recovered;
    private volatile KvTable table; // volatile for estimateGrowthBytes, which reads without the lock
    private SessionTable sessions;
    private volatile long usageBytes;

    EntryApplier(final KvTable table, final SessionTable sessions, final CompletionLog completions,
                 final boolean completionLogDamaged, final SpaceQuota quota) {
        this.table = table;
        this.sessions = sessions;
        this.completions = completions;
        this.completionLogDamaged = completionLogDamaged;
        this.recovered = completions.recovered();
        this.quota = quota;
        this.usageBytes = usage(table, sessions);
        quota.observe(usageBytes, 0);
    }

    /** The bytes the replicated state costs ({@link SpaceCost}): keys, values and sessions. */
    private static long usage(final KvTable table, final SessionTable sessions) {
        return SpaceCost.ofTable(table) + sessions.size() * SessionTable.BYTES_PER_SESSION;
    }

    /** {@link SpaceCost#growthBytes} against the table as it is, without the lock: an estimate. */
    long estimateGrowthBytes(final Op op) {
        return SpaceCost.growthBytes(table, op);
    }

    /** What the replicated state cost after the last applied entry, in bytes. */
    long usageBytes() {
        return usageBytes;
    }

    /**
     * Applies an entry. Returns null when the table is already past {@code index} (applying twice is
     * a no-op). A write that would add bytes past {@code spaceQuotaBytes}, the quota the entry
     * carries (0: none), is refused ({@link SpaceQuota#admits}); the growth of the entry's earlier
     * admitted writes counts, measured against the table before the entry (what a delete of the
     * same entry frees counts from the next entry on), and so does a session the write would open.
     *
     * @param replaying whether the entry is re-applied from the local intent log after a restart;
     *     a completion from before the restart is compared then, and also for an entry the leader
     *     sends again below the completion log's end
     * @throws ReplayDivergedException when a re-applied entry's result differs from its completion
     */
    List<WriteResult> apply(final long term, final long index, final long spaceQuotaBytes,
                            final List<ClientWrite> writes, final boolean replaying) throws IOException {
        final List<WriteResult> results = new ArrayList<>(writes.size());
        final List<OpResult> applied;
        int refused = 0;
        lock.writeLock().lock();
        try {
            if (index <= table.lastAppliedRevision()) {
                return null;
            }
            final List<Op> ops = new ArrayList<>(writes.size());
            final List<Integer> appliedAt = new ArrayList<>(writes.size());
            long admittedGrowth = 0;
            for (final ClientWrite w : writes) {
                final SessionTable.Check check = w.hasWriteId()
                    ? sessions.check(w.clientIdHigh(), w.clientIdLow(), w.sequence())
                    : new SessionTable.Check(SessionTable.Verdict.APPLY, 0);
                if (check.verdict() == SessionTable.Verdict.APPLY) {
                    // A client's first write id opens a session; later writes of the entry find it.
                    final long growth = SpaceCost.growthBytes(table, w.op()) + (w.hasWriteId()
                        && !sessions.contains(w.clientIdHigh(), w.clientIdLow()) ? SessionTable.BYTES_PER_SESSION : 0);
                    if (!SpaceQuota.admits(spaceQuotaBytes, usageBytes + admittedGrowth, growth)) {
                        refused++;
                        results.add(new WriteResult(Outcome.SPACE_EXCEEDED, 0, null, SpaceQuota.describe(
                            spaceQuotaBytes, usageBytes + admittedGrowth, growth, quota.alarm())));
                        continue;
                    }
                    admittedGrowth += growth;
                    if (w.hasWriteId()) {
                        sessions.record(w.clientIdHigh(), w.clientIdLow(), w.sequence(), index);
                    }
                    appliedAt.add(results.size());
                    ops.add(w.op());
                    results.add(null);
                } else {
                    results.add(WriteResult.of(check));
                }
            }
            applied = table.apply(index, ops);
            for (int i = 0; i < applied.size(); i++) {
                results.set(appliedAt.get(i), new WriteResult(Outcome.APPLIED, index, applied.get(i), null));
            }
            usageBytes = usage(table, sessions);
        } finally {
            lock.writeLock().unlock();
        }
        quota.observe(usageBytes, refused);
        recordCompletion(term, index, applied, replaying);
        return results;
    }

    private void recordCompletion(final long term, final long index, final List<OpResult> applied,
                                  final boolean replaying) throws IOException {
        final int checksum = ResultCodec.checksum(applied);
        // An entry at or below the completion log's end is applied again: re-read from the Raft log
        // after a restart (replaying), or re-sent by the leader after this member's Raft log lost
        // entries it had applied (docs/recovery.md#raft-log). Either way its result must match.
        if (replaying || (!recovered.isEmpty() && index <= recovered.lastKey())) {
            final CompletionRecord before = recovered.get(index);
            final CompletionState state = completionLogDamaged ? CompletionState.LOG_CORRUPT
                : before == null ? CompletionState.ABSENT
                : before.resultChecksum() == checksum ? CompletionState.MATCHES : CompletionState.DIFFERS;
            final RecoveryAction action = RecoveryRule.decide(IntentState.VALID, state, true);
            count(action);
            if (action == RecoveryAction.REFUSE) {
                throw new ReplayDivergedException("re-applying entry " + index + " (term " + term + ") gave result "
                    + "checksum 0x" + Integer.toHexString(checksum) + ", its completion records 0x"
                    + Integer.toHexString(before.resultChecksum()));
            }
            if (action == RecoveryAction.REPLAY_VERIFIED) {
                return;
            }
            if (!recovered.isEmpty() && index < recovered.lastKey()) {
                return; // no record to compare, and none can be appended below the log's end
            }
        }
        if (!recovered.isEmpty() && index >= recovered.lastKey()) {
            recovered = new TreeMap<>(); // past the replayed range: free it
            completions.forgetRecovered();
        }
        completions.append(new CompletionRecord(term, index, CompletionRecord.STATUS_APPLIED, applied.size(),
            checksum, System.currentTimeMillis()));
    }

    synchronized void count(final RecoveryAction action) {
        actions.merge(action, 1L, Long::sum);
    }

    /** How many entries each recovery action handled since the node started. */
    synchronized Map<RecoveryAction, Long> actions() {
        return new EnumMap<>(actions);
    }

    /**
     * Replaces the state with a snapshot's (after Ratis installed one). Completions recorded above
     * the snapshot's index are kept: a member whose own snapshot or Raft log was damaged can be
     * sent a snapshot older than what it had applied, and the entries after it come again, to be
     * checked against those records and not appended below the completion log's end.
     */
    void reset(final KvTable newTable, final SessionTable newSessions, final long snapshotIndex) {
        lock.writeLock().lock();
        try {
            table = newTable;
            sessions = newSessions;
            recovered = new TreeMap<>(recovered.tailMap(snapshotIndex, false));
            usageBytes = usage(newTable, newSessions);
        } finally {
            lock.writeLock().unlock();
        }
        quota.observe(usageBytes, 0);
    }

    /** Runs a read against a consistent table (never half an entry). */
    <T> T read(final Function<KvTable, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(table);
        } finally {
            lock.readLock().unlock();
        }
    }

    SessionTable sessions() {
        return sessions;
    }
}

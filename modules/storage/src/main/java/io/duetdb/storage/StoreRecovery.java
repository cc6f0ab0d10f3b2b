package io.duetdb.storage;

import io.duetdb.storage.checkpoint.CheckpointStore;
import io.duetdb.storage.checkpoint.LoadedCheckpoint;
import io.duetdb.storage.io.IoBackends;
import io.duetdb.storage.recovery.CompletionState;
import io.duetdb.storage.recovery.IntentState;
import io.duetdb.storage.recovery.RecoveryAction;
import io.duetdb.storage.recovery.RecoveryRule;
import io.duetdb.storage.table.BatchCodec;
import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.table.Op;
import io.duetdb.storage.table.OpResult;
import io.duetdb.storage.table.ResultCodec;
import io.duetdb.storage.wal.CompletionLog;
import io.duetdb.storage.wal.CompletionRecord;
import io.duetdb.storage.wal.IntentLog;
import io.duetdb.storage.wal.IntentRecord;
import io.duetdb.storage.wal.ScanReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening an embedded store: checkpoint, then the completion log, then the intent log, then a
 * replay of every intent above the checkpoint, each index decided by {@link RecoveryRule} with no
 * replicas to repair from. See docs/recovery.md.
 */
final class StoreRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRecovery.class);
    private static final int READ_TIMEOUT_SECONDS = 60;

    /** What recovery hands to the store. */
    record Recovered(KvTable table, IntentLog intents, CompletionLog completions, CheckpointStore checkpoints,
                     RecoveryReport report) {
    }

    private StoreRecovery() {
    }

    static Recovered recover(final Path dir, final StoreOptions options, final long term) throws IOException {
        final long startMs = System.currentTimeMillis();
        final IoBackends backends = new IoBackends(options.ioMode());
        final CheckpointStore checkpoints = new CheckpointStore(dir.resolve("checkpoint"));
        final Optional<LoadedCheckpoint> loaded = checkpoints.loadLatest(true);
        final KvTable table = loaded.map(LoadedCheckpoint::table).orElseGet(KvTable::new);
        final long checkpointIndex = loaded.map(l -> l.info().index()).orElse(0L);

        final Path completionDir = dir.resolve("completion");
        CompletionLog completions = CompletionLog.open(completionDir, options.completionWal(),
            backends.create("completion"), checkpointIndex + 1, checkpointIndex);
        final ScanReport completionScan = completions.scanReport();
        Path setAside = null;
        if (!completionScan.clean()) {
            // Completions are derived data: set the damaged log aside (kept for inspection) and
            // rebuild it by re-applying the intents.
            completions.close();
            setAside = dir.resolve("completion.corrupt-" + System.currentTimeMillis());
            Files.move(completionDir, setAside);
            LOG.error("completion log damaged ({}); moved to {} and rebuilding it from the intents",
                completionScan.corruptions(), setAside);
            completions = CompletionLog.open(completionDir, options.completionWal(), backends.create("completion"),
                checkpointIndex + 1, checkpointIndex);
        }
        IntentLog intents = null;
        try {
            intents = IntentLog.open(dir.resolve("intent"), options.intentWal(), backends.create("intent"),
                checkpointIndex + 1);
            final Map<RecoveryAction, Long> actions = replay(table, checkpointIndex, intents, completions,
                completionScan.clean() ? null : completionScan, term);
            completions.forgetRecovered();
            final RecoveryReport report = new RecoveryReport(checkpointIndex,
                loaded.map(l -> l.info().file()).orElse(null), intents.scanReport(), completionScan, setAside,
                actions, table.lastAppliedRevision(), System.currentTimeMillis() - startMs);
            return new Recovered(table, intents, completions, checkpoints, report);
        } catch (final IOException | RuntimeException e) {
            if (intents != null) {
                intents.close();
            }
            completions.close();
            throw e;
        }
    }

    private static Map<RecoveryAction, Long> replay(final KvTable table, final long checkpointIndex,
                                                    final IntentLog intents, final CompletionLog completions,
                                                    final ScanReport damagedCompletions, final long term)
        throws IOException {
        final Map<RecoveryAction, Long> actions = new EnumMap<>(RecoveryAction.class);
        final ScanReport intentScan = intents.scanReport();
        final long lastIntent = intents.lastIndex();
        final long lastCompletion = completions.recovered().isEmpty() ? checkpointIndex
            : completions.recovered().lastKey();
        final long last = Math.max(lastIntent, lastCompletion);
        final List<String> problems = new ArrayList<>();
        if (intentScan.tornTail() != null) {
            final long tornIndex = intentScan.tornTail().indexAfter() + 1;
            final RecoveryAction action = RecoveryRule.decide(IntentState.TORN_TAIL,
                completions.recovered().containsKey(tornIndex) ? CompletionState.MATCHES : CompletionState.ABSENT,
                false);
            count(actions, action);
            if (action == RecoveryAction.REFUSE) {
                problems.add("torn intent tail " + intentScan.tornTail() + " although index " + tornIndex
                    + " has a completion");
            }
        }
        for (long index = checkpointIndex + 1; index <= last; index++) {
            if (!intents.contains(index)) {
                final IntentState state = index > lastIntent ? IntentState.MISSING : IntentState.CORRUPT;
                count(actions, RecoveryRule.decide(state, CompletionState.ABSENT, false));
                problems.add("intent " + index + " is " + state.name().toLowerCase()
                    + (index > lastIntent ? " (the completion log has it, the intent log ends at " + lastIntent + ")"
                    : ""));
                if (problems.size() > 20) {
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            for (final ScanReport.Corruption c : intentScan.corruptions()) {
                problems.add(c.toString());
            }
            throw new CorruptStoreException("the intent log is missing or damaged above the checkpoint (index "
                + checkpointIndex + ")", problems);
        }
        for (long index = checkpointIndex + 1; index <= lastIntent; index++) {
            final IntentRecord intent = readIntent(intents, term, index);
            final List<Op> ops = BatchCodec.decode(intent.payload());
            final List<OpResult> results = table.apply(index, ops);
            final int checksum = ResultCodec.checksum(results);
            final CompletionRecord completion = completions.recovered().get(index);
            final CompletionState state = damagedCompletions != null ? CompletionState.LOG_CORRUPT
                : completion == null ? CompletionState.ABSENT
                : completion.resultChecksum() == checksum ? CompletionState.MATCHES : CompletionState.DIFFERS;
            final RecoveryAction action = RecoveryRule.decide(IntentState.VALID, state, false);
            count(actions, action);
            if (action == RecoveryAction.REFUSE) {
                throw new CorruptStoreException("re-applying intent " + index + " gave a different result than "
                    + "when it was first applied", List.of("completion " + index + " records result checksum 0x"
                    + Integer.toHexString(completion.resultChecksum()) + ", the replay produced 0x"
                    + Integer.toHexString(checksum)));
            }
            if (action == RecoveryAction.REPLAY_AND_RECORD) {
                completions.append(new CompletionRecord(term, index, CompletionRecord.STATUS_APPLIED, ops.size(),
                    checksum, System.currentTimeMillis()));
            }
        }
        return actions;
    }

    private static IntentRecord readIntent(final IntentLog intents, final long term, final long index)
        throws IOException {
        try {
            return intents.read(term, index).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while replaying intent " + index, e);
        } catch (final ExecutionException e) {
            throw new CorruptStoreException("intent " + index + " cannot be read back",
                List.of(String.valueOf(e.getCause().getMessage())));
        } catch (final TimeoutException e) {
            throw new IOException("reading intent " + index + " took over " + READ_TIMEOUT_SECONDS + " s", e);
        }
    }

    private static void count(final Map<RecoveryAction, Long> actions, final RecoveryAction action) {
        actions.merge(action, 1L, Long::sum);
    }
}

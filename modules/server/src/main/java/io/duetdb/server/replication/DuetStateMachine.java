package io.duetdb.server.replication;

import com.codahale.metrics.Counter;
import io.duetdb.storage.recovery.RecoveryAction;
import io.duetdb.storage.table.InvalidOpException;
import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.table.OpValidator;
import io.duetdb.storage.wal.IntentRecord;
import io.duetdb.storage.wal.ScanReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Duet's Raft state machine: the dual-WAL engine behind Ratis.
 *
 * <ul>
 *   <li>{@code startTransaction} splits a write request into the intent header ({@code logData},
 *       into the Raft log) and the payload ({@code stateMachineData}), and rejects invalid ones;</li>
 *   <li>{@code write} appends the intent to the intent WAL on every replica, {@code flush(i)}
 *       completes only once the intent WAL is fsynced through i (so nothing is acknowledged before
 *       its intent is durable), {@code truncate} drops intents Raft cut, {@code read} serves a
 *       lagging follower from the intent WAL;</li>
 *   <li>{@code applyTransaction} applies the entry on Ratis's apply thread, in log order, and
 *       appends its completion. After a restart the payload comes from the local intent WAL, or
 *       from a replica when the local copy is missing or damaged ({@link IntentRepair});</li>
 *   <li>{@code takeSnapshot} writes an engine checkpoint plus the session table
 *       ({@link SnapshotStore}) and recycles WAL segments Raft no longer needs.</li>
 * </ul>
 * Any error that could make this replica diverge (an irreparable intent, a replay that gives a
 * different result, a failed log) puts the state machine in a failed state for good: it then
 * refuses every apply and read, and the node reports why.
 */
public final class DuetStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(DuetStateMachine.class);
    private static final long LOCAL_READ_TIMEOUT_SECONDS = 60;

    private final java.nio.file.Path dataDir;
    private final io.duetdb.storage.StoreOptions storeOptions;
    private final OpValidator validator;
    private final Function<DuetStateMachine, IntentRepair> repairFactory;
    private final Consumer<String> onFailure;
    private final SpaceQuota spaceQuota;
    private final ExecutorService repairExecutor = Executors.newSingleThreadExecutor(r -> {
        final Thread t = new Thread(r, "duet-intent-repair");
        t.setDaemon(true);
        return t;
    });

    private final SnapshotStore snapshots;
    private volatile ReplicaStorage storage;
    private volatile EntryApplier applier;
    private volatile IntentRepair repair;
    private volatile String failure;
    /** How long opening the storage (scan, checkpoint load, replay) took; -1 until it has opened. */
    private volatile long recoveryNanos = -1;

    /**
     * @param repairFactory builds the repair client once the Raft server exists
     * @param onFailure told, once, why this replica stopped serving
     */
    private final AppliedIndexWaiters appliedWaiters = new AppliedIndexWaiters();

    public DuetStateMachine(final java.nio.file.Path dataDir, final io.duetdb.storage.StoreOptions storeOptions,
                            final SpaceQuota spaceQuota, final Function<DuetStateMachine, IntentRepair> repairFactory,
                            final Consumer<String> onFailure) {
        this.dataDir = dataDir;
        this.spaceQuota = spaceQuota;
        this.storeOptions = storeOptions;
        this.validator = new OpValidator(storeOptions.limits());
        this.repairFactory = repairFactory;
        this.onFailure = onFailure;
        this.snapshots = new SnapshotStore(dataDir.resolve("snapshot"), dataDir.resolve("snapshot-tmp"));
    }

    @Override
    public void initialize(final RaftServer server, final RaftGroupId groupId, final RaftStorage raftStorage)
        throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().transition(LifeCycle.State.STARTING);
        final long openStartNs = System.nanoTime();
        storage = ReplicaStorage.open(dataDir, storeOptions, snapshots);
        applier = new EntryApplier(storage.table, storage.sessions, storage.completions,
            storage.completionLogDamaged, spaceQuota);
        if (storage.snapshotIndex > 0) {
            setLastAppliedTermIndex(TermIndex.valueOf(storage.snapshotTerm, storage.snapshotIndex));
            appliedWaiters.advanceTo(storage.snapshotIndex);
        }
        repair = repairFactory.apply(this);
        recoveryNanos = System.nanoTime() - openStartNs;
        getLifeCycle().transition(LifeCycle.State.RUNNING);
        LOG.info("state machine of {} opened in {} ms: snapshot index {}, intents {}..{}, io backend {}", getId(),
            recoveryNanos / 1_000_000, storage.snapshotIndex, storage.intents.firstIndex(),
            storage.intents.lastIndex(), storage.intents.backendName());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    // ---- leader: split the request -------------------------------------------------------------

    @Override
    public TransactionContext startTransaction(final RaftClientRequest request) {
        final ByteString content = request.getMessage().getContent();
        final TransactionContext.Builder builder = TransactionContext.newBuilder().setStateMachine(this)
            .setClientRequest(request);
        try {
            if (content.size() > ReplicaLimits.MAX_ENTRY_BYTES) {
                throw new InvalidOpException("a write request of " + content.size() + " bytes exceeds the "
                    + ReplicaLimits.MAX_ENTRY_BYTES + "-byte entry limit");
            }
            final EntryCodec.Split split = EntryCodec.split(content.asReadOnlyByteBuffer());
            final ByteString header = content.substring(split.headerOffset(),
                split.headerOffset() + split.headerLength());
            final ByteString payload = content.substring(split.payloadOffset());
            if (payload.isEmpty()) {
                // Ratis would never write an empty payload to the intent log, yet ask read() for it.
                throw new IllegalArgumentException("a write request carries no writes");
            }
            final IntentHeader decoded = IntentHeader.decode(header.asReadOnlyByteBuffer());
            final List<ClientWrite> writes = EntryCodec.decodeWrites(decoded, payload.asReadOnlyByteBuffer());
            for (final ClientWrite w : writes) {
                validator.validateBatch(List.of(w.op()));
            }
            return builder.setLogData(header).setStateMachineData(payload)
                .setStateMachineContext(new DecodedEntry(decoded.spaceQuotaBytes(), writes)).build();
        } catch (final IllegalArgumentException e) {
            final TransactionContext rejected = builder.build();
            rejected.setException(new StateMachineException("invalid write request: " + e.getMessage(), false));
            return rejected;
        }
    }

    // ---- every replica: the intent WAL through the DataApi -------------------------------------

    @Override
    public CompletableFuture<?> write(final LogEntryProto entry, final TransactionContext trx) {
        final long index = entry.getIndex();
        try {
            final ByteString header = entry.getStateMachineLogEntry().getLogData();
            final ByteString payload = entry.getStateMachineLogEntry().getStateMachineEntry().getStateMachineData();
            if (index <= storage.intents.lastIndex()) {
                // Raft overwrites from here (e.g. after a snapshot install): drop the stale intents first.
                storage.intents.truncateAfter(entry.getTerm(), index - 1);
            }
            return storage.intents.append(entry.getTerm(), index, header.toByteArray(),
                payload.asReadOnlyByteBuffer());
        } catch (final IOException | RuntimeException e) {
            fail("appending intent " + index + " failed: " + e, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> flush(final long index) {
        return storage.intents.syncThrough(index);
    }

    @Override
    public CompletableFuture<Void> truncate(final long index) {
        try {
            return storage.intents.truncateAfter(Math.max(0, storage.intents.termOf(index)), index);
        } catch (final IOException e) {
            fail("truncating the intent log after " + index + " failed: " + e, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<ByteString> read(final LogEntryProto entry, final TransactionContext trx) {
        if (trx != null) {
            final ByteString inContext = trx.getStateMachineLogEntry().getStateMachineEntry().getStateMachineData();
            if (!inContext.isEmpty()) {
                return CompletableFuture.completedFuture(inContext);
            }
        }
        final long term = entry.getTerm();
        final long index = entry.getIndex();
        final byte[] header = entry.getStateMachineLogEntry().getLogData().toByteArray();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return UnsafeByteOperations.unsafeWrap(payload(term, index, header));
            } catch (final IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, repairExecutor);
    }

    /** Serves another replica's repair: the verified local intent, or null when not held. */
    public IntentRecord localIntent(final long term, final long index) {
        try {
            return readLocal(term, index, null).record();
        } catch (final IOException | RuntimeException e) {
            return null;
        }
    }

    /** A local intent that verified, or (record null) what is wrong with it. */
    private record LocalRead(IntentRecord record, String problem) {
    }

    /**
     * Reads intent (term, index) from the local intent WAL and verifies its payload against its
     * header, and the header against {@code expectedHeader} when given (the Raft log's).
     */
    private LocalRead readLocal(final long term, final long index, final byte[] expectedHeader) throws IOException {
        try {
            final IntentRecord r = storage.intents.read(term, index).get(LOCAL_READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final String problem = expectedHeader != null && !Arrays.equals(r.header(), expectedHeader)
                ? "its header differs from the Raft log's"
                : EntryCodec.payloadProblem(IntentHeader.decode(ByteBuffer.wrap(r.header())),
                    ByteBuffer.wrap(r.payload()));
            return new LocalRead(problem == null ? r : null, problem);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading intent " + index, e);
        } catch (final ExecutionException e) {
            return new LocalRead(null, e.getCause() instanceof java.util.NoSuchElementException ? "missing"
                : e.getCause().getMessage());
        } catch (final TimeoutException e) {
            throw new IOException("reading intent " + index + " took over " + LOCAL_READ_TIMEOUT_SECONDS + " s", e);
        }
    }

    /**
     * The payload of entry (term, index) from the local intent WAL, verified against the Raft
     * header; repaired from a replica when missing or damaged.
     */
    private byte[] payload(final long term, final long index, final byte[] header) throws IOException {
        final LocalRead local = readLocal(term, index, header);
        if (local.record() != null) {
            return local.record().payload();
        }
        final String problem = local.problem();
        if (!repair.hasReplicas()) {
            final ScanReport scan = storage.intents.scanReport();
            throw new IrreparableIntentException("committed intent (term " + term + ", index " + index + ") is "
                + problem + " in " + dataDir.resolve("intent") + " and this single-node cluster has no replica to "
                + "repair it from; the intent log's recovery scan found: " + scan.corruptions()
                + (scan.tornTail() == null ? "" : ", torn tail " + scan.tornTail()));
        }
        return repair.repair(storage.intents, term, index, header, problem);
    }

    // ---- apply -----------------------------------------------------------------------------------

    /** What the leader decoded in {@link #startTransaction}, kept so that its apply need not decode again. */
    private record DecodedEntry(long spaceQuotaBytes, List<ClientWrite> writes) {
    }

    @Override
    public CompletableFuture<Message> applyTransaction(final TransactionContext trx) {
        final LogEntryProto entry = trx.getLogEntry();
        final long term = entry.getTerm();
        final long index = entry.getIndex();
        if (failure != null) {
            return CompletableFuture.failedFuture(new StateMachineException("replica failed: " + failure));
        }
        try {
            DecodedEntry decoded = (DecodedEntry) trx.getStateMachineContext();
            boolean replaying = false;
            if (decoded == null) {
                final ByteString headerBytes = entry.getStateMachineLogEntry().getLogData();
                final IntentHeader header = IntentHeader.decode(headerBytes.asReadOnlyByteBuffer());
                final ByteString data = entry.getStateMachineLogEntry().getStateMachineEntry().getStateMachineData();
                final ByteBuffer payload;
                if (data.isEmpty()) {
                    replaying = true; // an entry loaded from the Raft log after a restart carries no payload
                    payload = ByteBuffer.wrap(payload(term, index, headerBytes.toByteArray()));
                } else {
                    payload = data.asReadOnlyByteBuffer();
                }
                decoded = new DecodedEntry(header.spaceQuotaBytes(), EntryCodec.decodeWrites(header, payload));
            }
            final List<EntryApplier.WriteResult> results = applier.apply(term, index, decoded.spaceQuotaBytes(),
                decoded.writes(), replaying);
            updateLastAppliedTermIndex(term, index);
            if (results == null || trx.getClientRequest() == null) {
                return CompletableFuture.completedFuture(Message.EMPTY);
            }
            return CompletableFuture.completedFuture(
                Message.valueOf(UnsafeByteOperations.unsafeWrap(OutcomeCodec.encode(results).toByteArray())));
        } catch (final Throwable t) {
            // Never thrown out of here: Ratis would close the whole server. The replica fails instead.
            fail("applying entry " + index + " (term " + term + ") failed: " + t.getMessage(), t);
            return CompletableFuture.failedFuture(new StateMachineException("replica failed: " + failure));
        }
    }

    @Override
    protected boolean updateLastAppliedTermIndex(final TermIndex newTermIndex) {
        final boolean changed = super.updateLastAppliedTermIndex(newTermIndex);
        appliedWaiters.advanceTo(newTermIndex.getIndex());
        return changed;
    }

    /** Completes once this replica has applied through {@code index}; fails if it stops serving. */
    public CompletableFuture<Void> whenApplied(final long index) {
        return appliedWaiters.whenApplied(index);
    }

    /** A read barrier: Ratis completes it once this replica applied through the read index. */
    @Override
    public CompletableFuture<Message> query(final Message request) {
        if (failure != null) {
            return CompletableFuture.failedFuture(new StateMachineException("replica failed: " + failure));
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    // ---- snapshots -------------------------------------------------------------------------------

    @Override
    public long takeSnapshot() throws IOException {
        final TermIndex last = getLastAppliedTermIndex();
        if (failure != null || last == null || last.getIndex() <= 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        final long raftLogStart = getServer().join().getDivision(getGroupId()).getRaftLog().getStartIndex();
        final long previous = storage.snapshots.getLatestSnapshot() == null ? 0
            : storage.snapshots.getLatestSnapshot().getIndex();
        final IOException[] error = new IOException[1];
        applier.read(table -> {
            try {
                storage.snapshots.write(table, applier.sessions(), last.getIndex(), last.getTerm());
            } catch (final IOException e) {
                error[0] = e;
            }
            return null;
        });
        if (error[0] != null) {
            throw error[0];
        }
        // Intents stay while Raft may still send their entries to a lagging follower.
        final long recycleThrough = Math.min(previous, raftLogStart - 1);
        if (recycleThrough > 0) {
            storage.intents.recycleThrough(recycleThrough);
            storage.completions.recycleThrough(recycleThrough);
        }
        LOG.info("{}: snapshot at index {} (term {}); intents recycled through {}", getId(), last.getIndex(),
            last.getTerm(), Math.max(0, recycleThrough));
        return last.getIndex();
    }

    /** Before Ratis installs a snapshot from the leader (applies are already stopped). */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After Ratis installed a snapshot from the leader: load it in place of the current state. */
    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        final SnapshotStore.Loaded loaded = storage.snapshots.loadLatest().orElseThrow(
            () -> new IOException("reinitialize: no snapshot in " + storage.snapshots.getSnapshotDir()));
        applier.reset(loaded.table(), loaded.sessions(), loaded.index());
        setLastAppliedTermIndex(TermIndex.valueOf(loaded.term(), loaded.index()));
        appliedWaiters.advanceTo(loaded.index());
        storage.intents.recycleThrough(loaded.index());
        storage.completions.recycleThrough(loaded.index());
        getLifeCycle().transition(LifeCycle.State.RUNNING);
        LOG.info("{}: installed snapshot at index {} (term {}), {} keys", getId(), loaded.index(), loaded.term(),
            loaded.table().size());
    }

    // ---- failure ---------------------------------------------------------------------------------

    @Override
    public void notifyLogFailed(final Throwable cause, final LogEntryProto failedEntry) {
        fail("the Raft log failed" + (failedEntry == null ? "" : " at index " + failedEntry.getIndex()) + ": "
            + cause, cause);
    }

    private synchronized void fail(final String reason, final Throwable cause) {
        if (failure != null) {
            return;
        }
        failure = reason;
        LOG.error("replica {} stops serving: {}", getId(), reason, cause);
        appliedWaiters.failAll(new IOException("replica stopped serving: " + reason));
        onFailure.accept(reason);
    }

    /** Why this replica stopped serving, or null while healthy. */
    public String failure() {
        return failure;
    }

    /** What the replicated state costs now, in bytes (see {@link SpaceQuota}); 0 before it opened. */
    public long spaceUsedBytes() {
        final EntryApplier a = applier;
        return a == null ? 0 : a.usageBytes();
    }

    public SpaceQuota spaceQuota() {
        return spaceQuota;
    }

    /**
     * How many bytes {@code op} would add to the table as it is now, read without holding off the
     * applier: an estimate for refusing early ({@link SpaceQuota#checkBeforeProposing}); the apply
     * decides exactly.
     */
    public long estimateGrowthBytes(final io.duetdb.storage.table.Op op) {
        final EntryApplier a = applier;
        return a == null ? 0 : a.estimateGrowthBytes(op);
    }

    /** Runs a read on the table, never seeing half an entry. */
    public <T> T readTable(final Function<KvTable, T> reader) {
        return applier.read(reader);
    }

    /** What recovery did per action since start. */
    public Map<RecoveryAction, Long> recoveryActions() {
        return applier.actions();
    }

    public long snapshotIndex() {
        return storage.snapshots.getLatestSnapshot() == null ? 0 : storage.snapshots.getLatestSnapshot().getIndex();
    }

    public long intentFirstIndex() {
        return storage.intents.firstIndex();
    }

    public long intentLastIndex() {
        return storage.intents.lastIndex();
    }

    public String ioBackend() {
        return storage.intents.backendName();
    }

    @Override
    public void notifyLeaderChanged(final org.apache.ratis.protocol.RaftGroupMemberId member,
                                    final org.apache.ratis.protocol.RaftPeerId newLeaderId) {
        LOG.info("{}: the leader is now {}", getId(), newLeaderId == null ? "unknown (election)" : newLeaderId);
    }

    @Override
    public void notifyConfigurationChanged(final long term, final long index,
                                           final org.apache.ratis.proto.RaftProtos.RaftConfigurationProto conf) {
        LOG.info("{}: members changed at index {} (term {}): {}", getId(), index, term, conf.getPeersList().stream()
            .map(p -> p.getId().toStringUtf8() + "@" + p.getAddress()).toList());
    }

    /** Checks every checksum of the logs and of the newest checkpoint (see ReplicaVerifier). */
    public ReplicaVerifier.Result verify() throws java.io.IOException {
        return ReplicaVerifier.verify(dataDir, storeOptions, storage.snapshots.getLatestSnapshot());
    }

    /** The newest snapshot's files, or null before the first. */
    public org.apache.ratis.statemachine.impl.FileListSnapshotInfo latestSnapshot() {
        return storage.snapshots.getLatestSnapshot();
    }

    /** How long the storage took to open at startup (scan both logs, load the checkpoint, replay); -1 before. */
    public long recoveryNanos() {
        return recoveryNanos;
    }

    /** The intent and completion logs' counters (empty before the storage is open). */
    public java.util.List<io.duetdb.storage.wal.WalStats> walStats() {
        final ReplicaStorage s = storage;
        return s == null ? java.util.List.of() : java.util.List.of(s.intents.stats(), s.completions.stats());
    }

    @Override
    public void close() throws IOException {
        super.close();
        repairExecutor.shutdownNow();
        if (storage != null) {
            storage.close();
        }
    }

    /** The counter incremented per repaired intent; exposed for the node's metrics. */
    public static Counter newRepairCounter(final com.codahale.metrics.MetricRegistry registry) {
        return registry.counter("duet_repaired_intents_total");
    }
}

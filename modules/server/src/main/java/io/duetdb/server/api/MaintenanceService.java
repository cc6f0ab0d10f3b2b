package io.duetdb.server.api;

import io.duetdb.api.v1.CheckpointCheck;
import io.duetdb.api.v1.LogCheck;
import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.SnapshotChunk;
import io.duetdb.api.v1.SnapshotDownloadRequest;
import io.duetdb.api.v1.SnapshotRequest;
import io.duetdb.api.v1.SnapshotResponse;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.api.v1.VerifyRequest;
import io.duetdb.api.v1.VerifyResponse;
import io.duetdb.server.DuetNode;
import io.duetdb.server.replication.DuetStateMachine;
import io.duetdb.server.replication.ReplicaVerifier;
import io.duetdb.storage.recovery.RecoveryAction;
import io.duetdb.storage.wal.WalStats;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Node status (with the table digest to compare replicas), on-demand snapshots, snapshot
 * download, and a checksum verification of the node's logs and checkpoint.
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    /** The alarm Status lists while the space quota refuses writes (etcd's name for it). */
    public static final String SPACE_ALARM = "NOSPACE";

    private static final long SNAPSHOT_TIMEOUT_MS = 120_000;
    /** Downloads and verifications read whole files: at most this many run at once per node. */
    static final int MAX_CONCURRENT_BULK_CALLS = 2;

    private final DuetNode node;
    private final Semaphore bulkCalls = new Semaphore(MAX_CONCURRENT_BULK_CALLS);
    private final ExecutorService bulkExecutor = Executors.newCachedThreadPool(r -> {
        final Thread t = new Thread(r, "duet-maintenance");
        t.setDaemon(true);
        return t;
    });

    public MaintenanceService(final DuetNode node) {
        this.node = node;
    }

    @Override
    public void status(final StatusRequest request, final StreamObserver<StatusResponse> response) {
        try {
            final RaftServer.Division division = node.division();
            final DuetStateMachine sm = node.stateMachine();
            final RaftPeerId leader = division.getInfo().getLeaderId();
            final TermIndex applied = sm.getLastAppliedTermIndex();
            final boolean withDigest = !request.getSkipDigest();
            final long[] table = sm.readTable(t -> new long[] {withDigest ? t.digest() : 0, t.size(),
                t.lastAppliedRevision()});
            final Runtime rt = Runtime.getRuntime();
            final StatusResponse.Builder b = StatusResponse.newBuilder()
                .setHeader(Headers.at(node, table[2]))
                .setMemberId(node.config().id())
                .setLeaderId(leader == null ? "" : leader.toString())
                .setRaftTerm(division.getInfo().getCurrentTerm())
                .setCommitIndex(division.getRaftLog().getLastCommittedIndex())
                .setAppliedIndex(applied == null ? 0 : applied.getIndex())
                .setDigest(table[0])
                .setKeyCount(table[1])
                .setSnapshotIndex(sm.snapshotIndex())
                .setRepairedIntents(node.metrics().counter("duet_repaired_intents_total").getCount())
                .setIoBackend(sm.ioBackend())
                .setFailure(sm.failure() == null ? "" : sm.failure())
                .setIntentFirstIndex(Math.max(0, sm.intentFirstIndex()))
                .setIntentLastIndex(Math.max(0, sm.intentLastIndex()))
                .setMemoryUsedBytes(rt.totalMemory() - rt.freeMemory())
                .setWalBytes(sm.walStats().stream().mapToLong(WalStats::diskBytes).sum())
                .setApiTransport(node.transportName())
                .setTls(node.config().tls().enabled())
                .setSpaceUsedBytes(sm.spaceUsedBytes())
                .setSpaceQuotaBytes(sm.spaceQuota().quotaBytes());
            final String voteGuard = node.voteGuardStatus();
            b.setVoteGuard(voteGuard == null ? "" : voteGuard)
                .setLeaderCommitIndex(Math.max(0, node.leaderCommitIndex()))
                .setNotReady(node.notReady().orElse(""))
                .addAllRaftLogFindings(node.raftLogFindings());
            if (sm.spaceQuota().alarm()) {
                b.addAlarms(SPACE_ALARM);
            }
            for (final Map.Entry<RecoveryAction, Long> e : sm.recoveryActions().entrySet()) {
                b.putRecoveryActions(e.getKey().name(), e.getValue());
            }
            response.onNext(b.build());
            response.onCompleted();
        } catch (final IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void snapshot(final SnapshotRequest request, final StreamObserver<SnapshotResponse> response) {
        try {
            final long index = takeSnapshot();
            response.onNext(SnapshotResponse.newBuilder().setIndex(index).setHeader(Headers.current(node)).build());
            response.onCompleted();
        } catch (final IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    private long takeSnapshot() throws IOException {
        // Creation gap 1: snapshot whatever was applied since the last one (Ratis's default gap of
        // 1024 entries would quietly skip the snapshot an operator asked for).
        final RaftClientReply reply = node.raftClient().getSnapshotManagementApi(node.selfId())
            .create(1, SNAPSHOT_TIMEOUT_MS);
        if (!reply.isSuccess()) {
            throw new IOException("snapshot failed: " + reply.getException());
        }
        return reply.getLogIndex();
    }

    @Override
    public void snapshotDownload(final SnapshotDownloadRequest request, final StreamObserver<SnapshotChunk> response) {
        // Streams from its own thread: flow-control callbacks run on the call's executor, which a
        // blocking handler would hold.
        final ServerCallStreamObserver<SnapshotChunk> out = (ServerCallStreamObserver<SnapshotChunk>) response;
        final Semaphore ready = SnapshotStreamer.readiness(out);
        bulk(response, () -> {
            takeSnapshot();
            final FileListSnapshotInfo latest = node.stateMachine().latestSnapshot();
            if (latest == null) {
                throw new IOException("no snapshot to download");
            }
            final List<Path> files = latest.getFiles().stream().map(FileInfo::getPath).toList();
            SnapshotStreamer.stream(files, latest.getIndex(), latest.getTerm(), Headers.current(node), out, ready);
        });
    }

    @Override
    public void verify(final VerifyRequest request, final StreamObserver<VerifyResponse> response) {
        bulk(response, () -> {
            final long[] table = node.stateMachine().readTable(t -> new long[] {t.digest(), t.lastAppliedRevision()});
            final ReplicaVerifier.Result result = node.stateMachine().verify();
            final VerifyResponse.Builder b = VerifyResponse.newBuilder().setHeader(Headers.at(node, table[1]))
                .setOk(result.ok()).setDigest(table[0]).setAppliedIndex(table[1]);
            for (final ReplicaVerifier.LogResult log : result.logs()) {
                final LogCheck.Builder l = LogCheck.newBuilder().setLog(log.log())
                    .setSegments(log.report().segments().size()).setRecords(log.report().validRecords())
                    .setFirstIndex(Math.max(0, log.report().firstIndex()))
                    .setLastIndex(Math.max(0, log.report().lastIndex()))
                    .setTornTail(log.report().tornTail() == null ? "" : log.report().tornTail().toString());
                log.report().corruptions().forEach(c -> l.addCorruptions(c.toString()));
                b.addLogs(l);
            }
            if (result.checkpoint() != null) {
                b.setCheckpoint(CheckpointCheck.newBuilder().setFile(result.checkpoint().file().toString())
                    .setIndex(result.checkpoint().index()).setOk(result.checkpoint().error() == null)
                    .setError(result.checkpoint().error() == null ? "" : result.checkpoint().error()));
            }
            response.onNext(b.build());
            response.onCompleted();
        });
    }

    /** A call that reads whole files: limited to {@link #MAX_CONCURRENT_BULK_CALLS}, run off the gRPC thread. */
    private void bulk(final StreamObserver<?> response, final BulkWork work) {
        if (!bulkCalls.tryAcquire()) {
            response.onError(Status.RESOURCE_EXHAUSTED.withDescription(MAX_CONCURRENT_BULK_CALLS
                + " snapshot downloads or verifications are already running on this node; retry later")
                .asRuntimeException());
            return;
        }
        bulkExecutor.execute(() -> {
            try {
                work.run();
            } catch (final Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                response.onError(GrpcErrors.toStatus(e));
            } finally {
                bulkCalls.release();
            }
        });
    }

    private interface BulkWork {
        void run() throws Exception;
    }

    /** Stops the maintenance threads (downloads in progress are cut). */
    public void close() {
        bulkExecutor.shutdownNow();
    }
}

package io.duetdb.server;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.duetdb.api.internal.v1.EntryOutcome;
import io.duetdb.server.api.ClusterService;
import io.duetdb.server.api.KvService;
import io.duetdb.server.api.MaintenanceService;
import io.duetdb.server.admin.GrpcServerMetricsInterceptor;
import io.duetdb.server.admin.DuetMetricNames;
import io.duetdb.server.admin.ReplicaGauges;
import io.duetdb.server.admin.SpaceGauges;
import io.duetdb.server.admin.WalGauges;
import io.duetdb.server.admin.WriteEntryMetrics;
import io.duetdb.server.config.NodeConfig;
import io.duetdb.server.net.GrpcTransport;
import io.duetdb.server.net.PeerChannels;
import io.duetdb.server.read.FollowerHeartbeats;
import io.duetdb.server.read.FollowerReadIndex;
import io.duetdb.server.read.LeaderReadIndex;
import io.duetdb.server.read.LeaderCommitProbe;
import io.duetdb.server.read.LinearizableReads;
import io.duetdb.server.read.RaftReadView;
import io.duetdb.server.read.ReplicaReadCalls;
import io.duetdb.server.recovery.RaftLogCheck;
import io.duetdb.server.recovery.RaftStartupCheck;
import io.duetdb.server.recovery.StuckLogReport;
import io.duetdb.server.recovery.VoteGuard;
import io.duetdb.server.recovery.VoteGuardKeeper;
import io.duetdb.server.recovery.VoteRefusal;
import io.duetdb.server.replication.DuetStateMachine;
import io.duetdb.server.replication.IntentRepair;
import io.duetdb.server.replication.PeerEndpoint;
import io.duetdb.server.replication.ReplicaLimits;
import io.duetdb.server.replication.ReplicaService;
import io.duetdb.server.replication.SpaceQuota;
import io.duetdb.server.replication.WriteBatcher;
import io.duetdb.storage.io.DirectoryLock;
import io.duetdb.storage.table.KvTable;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.LeaderElectionManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Duet node: the Ratis server with Duet's state machine, the write batcher, and the gRPC
 * server for the public API and the internal Replica service.
 *
 * <p>A member's Duet API address travels in the Raft configuration as the peer's
 * {@code dataStreamAddress} (Duet does not use Ratis's DataStream), so every member can find every
 * other member's Replica service, members added later included.
 */
public final class DuetNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DuetNode.class);
    private static final long REPAIR_CALL_DEADLINE_MS = 10_000;
    private static final int REPAIR_ROUNDS = 30;
    private static final long REPAIR_BACKOFF_MS = 1_000;

    /** A new leader is ready once it applies its first entry; writes wait this long for that locally. */
    private static final int LEADER_NOT_READY_RETRIES = 300;
    private static final long LEADER_NOT_READY_BACKOFF_MS = 100;
    /** A follower whose leader could not give a read index asks again after this pause. */
    private static final long READ_INDEX_RETRY_BACKOFF_MS = 20;

    private final NodeConfig config;
    private final DirectoryLock lock;
    private final MetricRegistry metrics = new MetricRegistry();
    private final RaftGroupId groupId;
    private final RaftPeerId selfId;
    private final ClientId localClientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final DuetStateMachine stateMachine;
    private final RaftServer raftServer;
    private final RaftClient raftClient;
    private final WriteBatcher batcher;
    private final GrpcTransport transport;
    private final PeerChannels peerChannels;
    private final MaintenanceService maintenance;
    private final HealthStatusManager health;
    private volatile NodeObservability observability;
    private final Server grpcServer;
    private final IdleFollowerNudge nudge;
    private final LinearizableReads reads;
    private final LeaderCommitProbe leaderCommit;
    private final VoteGuard voteGuard;
    private final RaftLogCheck.Verdict raftLogCheck;
    private volatile VoteGuardKeeper voteGuardKeeper;
    private final StuckLogReport stuckLogReport = new StuckLogReport(() -> System.nanoTime() / 1_000_000);

    private DuetNode(final NodeConfig config, final Consumer<String> onFailure) throws IOException {
        this.config = config;
        this.lock = DirectoryLock.acquire(config.dataDir());
        this.groupId = RaftGroupId.valueOf(config.groupId());
        this.selfId = RaftPeerId.valueOf(config.id());
        this.voteGuard = VoteGuard.load(config.dataDir());
        // A single member has nowhere to catch up from: it must refuse rather than set data aside.
        this.raftLogCheck = config.members().size() > 1 || config.join()
            ? RaftStartupCheck.run(config.dataDir(), groupId.getUuid().toString(),
                config.storeOptions().completionWal().maxBodyBytes(), config.storeOptions().intentWal().maxBodyBytes(),
                voteGuard)
            : RaftLogCheck.Verdict.none();
        this.transport = new GrpcTransport(config.tls());
        this.peerChannels = new PeerChannels(address -> transport.channel(address, ReplicaLimits.MAX_MESSAGE_BYTES));
        this.stateMachine = new DuetStateMachine(config.dataDir(), WalGauges.withSyncLatency(config.storeOptions(), metrics),
            new SpaceQuota(config.spaceQuotaBytes()), sm -> new IntentRepair(config.id(), () -> peerEndpoints(sm),
                DuetStateMachine.newRepairCounter(metrics), REPAIR_CALL_DEADLINE_MS, REPAIR_ROUNDS, REPAIR_BACKOFF_MS,
                peerChannels::get),
            onFailure);
        final Parameters raftTls = raftTlsParameters(config.tls());
        final RaftProperties raftProperties = RaftSettings.server(config);
        VoteRefusal.install(raftTls, voteGuard);
        if (voteGuard.closed()) {
            RaftSettings.holdFirstElection(raftProperties); // until start() has paused elections
        }
        final FollowerHeartbeats heartbeats = new FollowerHeartbeats();
        heartbeats.install(raftProperties, raftTls);
        final List<RaftPeer> initialPeers = config.members().stream().map(DuetNode::toPeer).toList();
        final RaftGroup group = config.join() ? RaftGroup.valueOf(groupId) : RaftGroup.valueOf(groupId, initialPeers);
        this.raftServer = RaftServer.newBuilder().setServerId(selfId).setGroup(group).setStateMachine(stateMachine)
            .setProperties(raftProperties).setParameters(raftTls).setOption(RaftStorage.StartupOption.RECOVER).build();
        this.raftClient = RaftClient.newBuilder().setRaftGroup(RaftGroup.valueOf(groupId, initialPeers))
            .setProperties(RaftSettings.client()).setParameters(raftTls).setRetryPolicy(RaftSettings.clientRetryPolicy()).build();
        final WriteBatcher.Limits defaults = WriteBatcher.Limits.defaults();
        final WriteBatcher.Limits limits = new WriteBatcher.Limits(config.maxInFlightEntries(),
            defaults.maxEntryWrites(), defaults.maxEntryBytes(), defaults.maxQueuedWrites(),
            WriteBatcher.Limits.queuedBytesForHeap(Runtime.getRuntime().maxMemory()));
        this.batcher = new WriteBatcher(WriteEntryMetrics.instrument(this::propose, metrics),
            config.batching() ? limits : limits.unbatched(), config.spaceQuotaBytes());
        SpaceGauges.register(metrics, stateMachine);
        WalGauges.register(metrics, stateMachine::walStats);
        metrics.register(DuetMetricNames.RECOVERY_SECONDS, (Gauge<Double>) () -> stateMachine.recoveryNanos() < 0 ? null
            : stateMachine.recoveryNanos() / 1e9);
        ReplicaGauges.register(metrics, this::divisionOrNull, () -> stateMachine.readTable(KvTable::size),
            stateMachine::failure);
        this.health = new HealthStatusManager();
        for (final String service : NodeObservability.HEALTH_SERVICES) {
            health.setStatus(service, ServingStatus.NOT_SERVING); // until NodeObservability finds it ready
        }
        // The transport accepts messages up to 8 MiB so that a request between the configured
        // request limit and that gets INVALID_ARGUMENT naming the limit (beyond: RESOURCE_EXHAUSTED).
        this.reads = linearizableReads(config, heartbeats);
        this.leaderCommit = new LeaderCommitProbe(reads::readIndex, () -> System.nanoTime() / 1_000_000);
        this.maintenance = new MaintenanceService(this);
        this.grpcServer = transport.server(config.listenHost(), config.clientPort())
            .maxInboundMessageSize(ReplicaLimits.MAX_MESSAGE_BYTES)
            .addService(new KvService(this))
            .addService(new ClusterService(this))
            .addService(maintenance)
            .addService(new ReplicaService(config.id(), stateMachine, reads))
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance())
            .intercept(new GrpcServerMetricsInterceptor(metrics))
            .build();
        this.nudge = new IdleFollowerNudge(this::divisionOrNull, this::proposeNoOp);
    }

    /** Starts a node; {@code onFailure} is told once if the replica stops serving (see DuetStateMachine). */
    public static DuetNode start(final NodeConfig config, final Consumer<String> onFailure) throws IOException {
        final DuetNode node = new DuetNode(config, onFailure);
        try {
            node.raftServer.start();
            node.voteGuardKeeper = node.keepVoteGuard();
            node.grpcServer.start();
            node.observability = NodeObservability.start(node, node.health);
        } catch (final IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        LOG.info("duet node {} serving: Raft on {}:{}, API on {}:{} ({}{}), data in {}{}", config.id(),
            config.listenHost(), config.peerPort(), config.listenHost(), config.clientPort(), node.transport.name(),
            config.tls().enabled() ? ", TLS" + (config.tls().requireClientCert() ? " with client certificates" : "")
                : ", plaintext", config.dataDir(),
            config.join() ? " (joining: waiting to be added)" : "");
        return node;
    }

    /**
     * A member that may have lost entries it acknowledged stands for no election and grants no vote
     * (see {@link VoteGuard}) until it caught up with a leader; Ratis's election pause is in memory,
     * so it is set again at every start while the guard is closed.
     */
    private VoteGuardKeeper keepVoteGuard() throws IOException {
        if (voteGuard.closed()) {
            electionManagement(true);
        }
        return VoteGuardKeeper.start(voteGuard, new VoteGuardKeeper.Member() {
            @Override
            public CompletableFuture<Long> leaderReadIndex() {
                return reads.readIndex();
            }

            @Override
            public CompletableFuture<Void> whenApplied(final long index) {
                return stateMachine.whenApplied(index);
            }

            @Override
            public void resumeElections() throws IOException {
                electionManagement(false);
            }
        }, this::appliedIndex);
    }

    private void electionManagement(final boolean pause) throws IOException {
        final LeaderElectionManagementRequest request = pause
            ? LeaderElectionManagementRequest.newPause(localClientId, selfId, groupId, callIds.incrementAndGet())
            : LeaderElectionManagementRequest.newResume(localClientId, selfId, groupId, callIds.incrementAndGet());
        final RaftClientReply reply;
        try {
            reply = raftServer.leaderElectionManagementAsync(request).get(30, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new IOException("could not " + (pause ? "pause" : "resume") + " elections on this member", e);
        }
        if (!reply.isSuccess()) {
            throw new IOException("could not " + (pause ? "pause" : "resume") + " elections on this member: "
                + reply.getException());
        }
    }

    /**
     * Where this member's Raft log ends, while it is behind (it lost entries, or the leader committed
     * past it) and the log is stuck there; else Long.MIN_VALUE ({@link StuckLogReport}).
     */
    private long lostEntriesLogEnd() {
        final RaftServer.Division d = divisionOrNull();
        if (d == null) {
            return Long.MIN_VALUE;
        }
        final long logEnd = d.getRaftLog().getNextIndex() - 1;
        final LeaderCommitProbe probe = leaderCommit; // null until the constructor has made it
        final boolean behind = voteGuard.closed() || (probe != null && probe.last().index() > logEnd);
        return stuckLogReport.logEndToReport(behind, logEnd);
    }

    private long appliedIndex() {
        return stateMachine.getLastAppliedTermIndex() == null ? -1 : stateMachine.getLastAppliedTermIndex().getIndex();
    }

    /** Why this member does not vote (see {@link VoteGuard}), or null while it does. */
    public String voteGuardStatus() {
        final VoteGuardKeeper keeper = voteGuardKeeper;
        return keeper != null ? keeper.status() : voteGuard.reason();
    }

    /** What the check of the Raft log found at start, one line each; empty when nothing was wrong. */
    public List<String> raftLogFindings() {
        return raftLogCheck.findings();
    }

    /** The leader's commit index as last asked of it, for readiness. */
    LeaderCommitProbe leaderCommit() {
        return leaderCommit;
    }

    /** The leader's commit index as last asked of it; -1 while unknown. */
    public long leaderCommitIndex() {
        return leaderCommit.last().index();
    }

    /** Why this node is not ready, or empty when it is. */
    public Optional<String> notReady() {
        final NodeObservability o = observability;
        return o == null ? Optional.of("starting") : o.notReady();
    }

    private LinearizableReads linearizableReads(final NodeConfig config, final FollowerHeartbeats heartbeats) {
        final RaftReadView raftView = new RaftReadView(config.id(), this::divisionOrNull);
        final long readTimeoutMs = RaftSettings.requestTimeoutMs(config);
        // A member that has not answered within the longest election timeout is as good as cut off.
        final ReplicaReadCalls calls = new ReplicaReadCalls(config.id(), peerChannels::get, config.electionTimeoutMaxMs(),
            this::lostEntriesLogEnd);
        return new LinearizableReads(raftView,
            new LeaderReadIndex(raftView, calls, config.readMode() != NodeConfig.ReadMode.UNCONFIRMED_READ_INDEX),
            new FollowerReadIndex(raftView, calls, readTimeoutMs, READ_INDEX_RETRY_BACKOFF_MS,
                () -> System.nanoTime() / 1_000_000),
            heartbeats, stateMachine::whenApplied, this::appliedIndex, readTimeoutMs);
    }

    /** Raft's own gRPC (peer port, and this node's Raft client) under the same TLS files, or none. */
    private static Parameters raftTlsParameters(final NodeConfig.Tls tls) {
        final Parameters p = new Parameters();
        if (tls.enabled()) {
            GrpcConfigKeys.TLS.setConf(p, new GrpcTlsConfig(tls.keyFile().toFile(), tls.certFile().toFile(),
                tls.caFile().toFile(), tls.requireClientCert()));
        }
        return p;
    }

    static RaftPeer toPeer(final NodeConfig.Member m) {
        return RaftPeer.newBuilder().setId(m.id()).setAddress(m.peerAddress())
            .setDataStreamAddress(m.clientAddress()).build();
    }

    private static List<PeerEndpoint> peerEndpoints(final DuetStateMachine sm) {
        try {
            final RaftServer server = sm.getServer().get(30, TimeUnit.SECONDS);
            return server.getDivision(sm.getGroupId()).getRaftConf().getAllPeers().stream()
                .filter(p -> p.getDataStreamAddress() != null)
                .map(p -> new PeerEndpoint(p.getId().toString(), p.getDataStreamAddress())).toList();
        } catch (final Exception e) {
            LOG.warn("cannot list the members to repair from: {}", e.toString());
            return List.of();
        }
    }

    // ---- writes and reads --------------------------------------------------------------------------

    /** One empty transaction: the follower nudge's entry. */
    private CompletableFuture<EntryOutcome> proposeNoOp() {
        return propose(io.duetdb.server.replication.EntryCodec.noOpRequest());
    }

    private CompletableFuture<EntryOutcome> propose(final byte[] request) {
        final Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(request));
        return submitWrite(message, 0).thenApply(DuetNode::outcome);
    }

    /**
     * The leader proposes to itself directly: no RPC. A leader that is not ready yet (its first
     * entry of the term is not applied) is asked again here, since a Ratis client would wander off
     * to the followers and back. Elsewhere, or once leadership moved, the Ratis client finds the leader.
     */
    private CompletableFuture<RaftClientReply> submitWrite(final Message message, final int notReadyAttempts) {
        if (!isLeader()) {
            return raftClient.async().send(message);
        }
        return submitLocal(localRequest(message, RaftClientRequest.writeRequestType()))
            .handle((reply, error) -> {
                final Throwable cause = error != null ? unwrap(error) : reply.getException();
                if (error == null && (reply.isSuccess() || reply.getStateMachineException() != null)) {
                    return CompletableFuture.completedFuture(reply);
                }
                if (cause instanceof LeaderNotReadyException && notReadyAttempts < LEADER_NOT_READY_RETRIES) {
                    return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(LEADER_NOT_READY_BACKOFF_MS, TimeUnit.MILLISECONDS))
                        .thenCompose(ignored -> submitWrite(message, notReadyAttempts + 1));
                }
                return raftClient.async().send(message);
            })
            .thenCompose(f -> f);
    }

    private static Throwable unwrap(final Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static EntryOutcome outcome(final RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException() != null ? reply.getException()
                : new IOException("the write was not committed"));
        }
        try {
            return EntryOutcome.parseFrom(reply.getMessage().getContent().toByteArray());
        } catch (final com.google.protobuf.InvalidProtocolBufferException e) {
            throw new CompletionException(new IOException("unreadable write outcome", e));
        }
    }

    private CompletableFuture<RaftClientReply> submitLocal(final RaftClientRequest request) {
        try {
            return raftServer.submitClientRequestAsync(request);
        } catch (final IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private RaftClientRequest localRequest(final Message message, final RaftClientRequest.Type type) {
        return RaftClientRequest.newBuilder().setClientId(localClientId).setServerId(selfId).setGroupId(groupId)
            .setCallId(callIds.incrementAndGet()).setMessage(message).setType(type).build();
    }

    /**
     * Completes once this node has applied everything committed before the call: a table read
     * after it is linearizable (see {@link LinearizableReads}). With {@code read-option: default}
     * it is Ratis's leader-local read instead, which a deposed leader may answer from stale state.
     */
    public CompletableFuture<Void> readBarrier() {
        if (config.readMode() != NodeConfig.ReadMode.DEFAULT) {
            return reads.barrier();
        }
        return submitLocal(localRequest(Message.EMPTY, RaftClientRequest.readRequestType()))
            .thenApply(reply -> {
                if (!reply.isSuccess()) {
                    throw new CompletionException(reply.getException() != null ? reply.getException()
                        : new IOException("the read index could not be confirmed"));
                }
                return null;
            });
    }

    public WriteBatcher batcher() {
        return batcher;
    }

    public DuetStateMachine stateMachine() {
        return stateMachine;
    }

    public RaftServer.Division division() throws IOException {
        return raftServer.getDivision(groupId);
    }

    RaftServer.Division divisionOrNull() {
        try {
            return division();
        } catch (final IOException e) {
            return null;
        }
    }

    public boolean isLeader() {
        final RaftServer.Division d = divisionOrNull();
        return d != null && d.getInfo().isLeader();
    }

    public RaftClient raftClient() {
        return raftClient;
    }

    public NodeConfig config() {
        return config;
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    /** The current members' ids (for labelling Ratis's per-peer metrics). */
    List<String> memberIds() {
        final RaftServer.Division d = divisionOrNull();
        return d == null ? List.of() : d.getRaftConf().getAllPeers().stream().map(p -> p.getId().toString()).toList();
    }

    /** What the API's sockets run on: "io_uring", "epoll" or "nio". */
    public String transportName() {
        return transport.name();
    }

    public RaftPeerId selfId() {
        return selfId;
    }


    @Override
    public void close() {
        LOG.info("duet node {} stopping", config.id());
        if (observability != null) {
            observability.close();
        }
        nudge.close();
        if (voteGuardKeeper != null) {
            voteGuardKeeper.close();
        }
        grpcServer.shutdown();
        try {
            raftClient.close();
        } catch (final IOException e) {
            LOG.warn("closing the Raft client: {}", e.toString());
        }
        try {
            raftServer.close();
        } catch (final IOException e) {
            LOG.warn("closing the Raft server: {}", e.toString());
        }
        try {
            grpcServer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        maintenance.close();
        peerChannels.close();
        transport.close();
        try {
            lock.close();
        } catch (final IOException e) {
            LOG.warn("releasing the data directory lock: {}", e.toString());
        }
        LOG.info("duet node {} stopped", config.id());
    }
}

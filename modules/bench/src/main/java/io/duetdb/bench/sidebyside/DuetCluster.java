package io.duetdb.bench.sidebyside;

import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.server.DuetNodeMain;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Duet, 3 node processes on loopback, each started as {@code bin/duet} starts one ({@code -Xmx1g},
 * default settings: write batching on, io-mode auto, fsync of the intent and the Raft log before a
 * write is acknowledged by a majority).
 */
final class DuetCluster implements SystemUnderTest {
    private static final int NODES = 3;
    private static final long READY_TIMEOUT_MS = 180_000;
    private static final long POLL_INTERVAL_MS = 200;

    private final String label;
    private final List<ManagedProcess> nodes = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();

    private DuetCluster(final String label) {
        this.label = label;
    }

    /**
     * Starts the cluster; {@code extraNodeArgs} go to every node after the defaults (a variant's
     * settings, e.g. {@code --max-in-flight-entries=16}); {@code label} names it in results.
     */
    static DuetCluster start(final String label, final List<String> extraNodeArgs, final Path dataDir,
                             final Path logDir) throws IOException, InterruptedException {
        final DuetCluster cluster = new DuetCluster(label);
        try {
            final List<Integer> peerPorts = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                peerPorts.add(Ports.free());
                cluster.clientPorts.add(Ports.free());
            }
            final String members = java.util.stream.IntStream.range(0, NODES)
                .mapToObj(i -> "n" + (i + 1) + "=127.0.0.1:" + peerPorts.get(i) + ":" + cluster.clientPorts.get(i))
                .collect(Collectors.joining(","));
            for (int i = 0; i < NODES; i++) {
                final String id = "n" + (i + 1);
                final List<String> cmd = new ArrayList<>(List.of(ManagedProcess.javaBinary(), "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), DuetNodeMain.class.getName(),
                    "--id", id, "--data-dir", dataDir.resolve(id).toString(),
                    "--peer-port", String.valueOf(peerPorts.get(i)),
                    "--client-port", String.valueOf(cluster.clientPorts.get(i)), "--members", members));
                cmd.addAll(extraNodeArgs);
                cluster.nodes.add(ManagedProcess.start(label + " " + id, cmd,
                    logDir.resolve(SideBySide.fileName(label) + "-" + id + ".log")));
            }
            cluster.awaitReady();
            return cluster;
        } catch (final IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Waits until every node logged that it is ready and all agree on one leader. */
    private void awaitReady() throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        final List<ManagedChannel> channels = clientPorts.stream()
            .map(p -> NettyChannelBuilder.forAddress("127.0.0.1", p).usePlaintext().build()).toList();
        try {
            while (System.nanoTime() < deadline) {
                checkAlive();
                if (nodes.stream().allMatch(n -> n.logText().contains("node is ready")) && agreedLeader(channels)) {
                    return;
                }
                Thread.sleep(POLL_INTERVAL_MS); // polling a process we do not control
            }
            throw new IllegalStateException("the Duet cluster was not ready within " + READY_TIMEOUT_MS + " ms; "
                + "see the duet-n*.log files");
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private static boolean agreedLeader(final List<ManagedChannel> channels) {
        String leader = null;
        for (final ManagedChannel c : channels) {
            try {
                final StatusResponse s = MaintenanceGrpc.newBlockingStub(c).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .status(StatusRequest.newBuilder().setSkipDigest(true).build());
                if (s.getLeaderId().isEmpty() || (leader != null && !leader.equals(s.getLeaderId()))) {
                    return false;
                }
                leader = s.getLeaderId();
            } catch (final StatusRuntimeException e) {
                return false;
            }
        }
        return leader != null;
    }

    @Override
    public String name() {
        return label;
    }

    @Override
    public String target() {
        return "duet";
    }

    @Override
    public List<String> endpoints() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    @Override
    public List<String> endpoints(final ClusterWorkload.Member member) throws InterruptedException {
        if (member == ClusterWorkload.Member.ANY) {
            return endpoints();
        }
        final int leader = leaderIndex();
        final int index = member == ClusterWorkload.Member.LEADER ? leader : (leader + 1) % NODES;
        return List.of("127.0.0.1:" + clientPorts.get(index));
    }

    /** The index of the node that leads, as the nodes agree (waits for them to, as at start). */
    private int leaderIndex() throws InterruptedException {
        awaitReady();
        final ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", clientPorts.get(0)).usePlaintext().build();
        try {
            final String leaderId = MaintenanceGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS)
                .status(StatusRequest.newBuilder().setSkipDigest(true).build()).getLeaderId();
            final int index = Integer.parseInt(leaderId.substring(1)) - 1; // node ids are n1..n3
            if (index < 0 || index >= NODES) {
                throw new IllegalStateException("leader '" + leaderId + "' is not one of n1..n" + NODES);
            }
            return index;
        } finally {
            c.shutdownNow();
        }
    }

    @Override
    public void checkAlive() {
        nodes.forEach(ManagedProcess::checkAlive);
    }

    @Override
    public List<Long> pids() {
        return nodes.stream().map(ManagedProcess::pid).toList();
    }

    @Override
    public void close() throws InterruptedException {
        for (final ManagedProcess n : nodes) {
            n.close();
        }
    }
}

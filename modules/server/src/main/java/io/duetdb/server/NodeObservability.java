package io.duetdb.server;

import com.codahale.metrics.jmx.JmxReporter;
import io.duetdb.server.admin.AdminHttpServer;
import io.duetdb.server.admin.JmxExport;
import io.duetdb.server.admin.JvmGauges;
import io.duetdb.server.admin.PrometheusExposition;
import io.duetdb.server.admin.RaftReplicaState;
import io.duetdb.server.admin.ReadinessEvaluator;
import io.duetdb.server.admin.ReplicaState;
import io.duetdb.server.read.LeaderCommitProbe;
import io.duetdb.server.replication.DuetStateMachine;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees of a running node: readiness (gRPC health and {@code /readyz}), the admin
 * HTTP endpoint ({@code /metrics}, {@code /livez}, {@code /readyz}) when an admin port is set, and
 * the JMX reporter. Readiness is re-evaluated every {@link #HEALTH_PERIOD_MS} ms for gRPC health;
 * HTTP evaluates it per request.
 */
final class NodeObservability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeObservability.class);
    static final long HEALTH_PERIOD_MS = 1_000;
    /** The gRPC health service names kept in step: the whole server, and the KV service. */
    static final List<String> HEALTH_SERVICES = List.of(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
        "duet.v1.KV");

    private final JmxReporter jmx;
    private final AdminHttpServer admin;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "duet-health");
        t.setDaemon(true);
        return t;
    });
    private final ReadinessEvaluator readiness;
    private volatile Optional<String> lastNotReady = Optional.of("starting");

    private NodeObservability(final DuetNode node, final HealthStatusManager health) throws IOException {
        final DuetStateMachine sm = node.stateMachine();
        final Supplier<ReplicaState> raftState = RaftReplicaState.of(sm::failure, node::divisionOrNull);
        final LeaderCommitProbe probe = node.leaderCommit();
        this.readiness = new ReadinessEvaluator(() -> {
            final LeaderCommitProbe.Reading leader = probe.last();
            return raftState.get().withLeaderCommit(leader.index(),
                leader.atMs() < 0 ? -1 : System.nanoTime() / 1_000_000 - leader.atMs(), leader.problem());
        }, node.config().readyMaxLagEntries());
        JvmGauges.register(node.metrics());
        this.jmx = JmxExport.start(node.metrics(), node.config().id());
        if (node.config().adminPort() > 0) {
            final PrometheusExposition exposition = PrometheusExposition.forNode(node.metrics(), node.config().id(),
                node::memberIds);
            this.admin = AdminHttpServer.start(node.config().listenHost(), node.config().adminPort(),
                exposition::render, ReadinessEvaluator.liveness(sm::failure), readiness);
        } else {
            this.admin = null;
        }
        timer.scheduleWithFixedDelay(() -> {
            probe.refresh();
            update(health, readiness);
        }, 0, HEALTH_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Starts health updates, JMX and (with an admin port) the HTTP endpoint. */
    static NodeObservability start(final DuetNode node, final HealthStatusManager health) throws IOException {
        return new NodeObservability(node, health);
    }

    private void update(final HealthStatusManager health, final ReadinessEvaluator readiness) {
        try {
            final Optional<String> notReady = readiness.get();
            for (final String service : HEALTH_SERVICES) {
                health.setStatus(service, notReady.isEmpty() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
            }
            // Logged when the kind of reason changes ("stalled", "applying", ...), not every
            // second its numbers move.
            if (!kind(notReady).equals(kind(lastNotReady))) {
                LOG.info("node is {}", notReady.map(why -> "not ready: " + why).orElse("ready"));
            }
            lastNotReady = notReady;
        } catch (final RuntimeException e) {
            LOG.warn("readiness check failed: {}", e.toString());
        }
    }

    private static String kind(final Optional<String> notReady) {
        return notReady.map(why -> why.split("[:0-9]", 2)[0]).orElse("");
    }

    /** Why the node is not ready now, or empty when it is. */
    Optional<String> notReady() {
        return readiness.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (admin != null) {
            admin.close();
        }
        jmx.close();
    }
}

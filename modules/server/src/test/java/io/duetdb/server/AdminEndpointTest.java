package io.duetdb.server;

import static io.duetdb.server.ReplicationTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.api.v1.PutRequest;
import io.duetdb.server.testing.ClusterFixture;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin HTTP endpoint of real node processes: /metrics carries the series operators need,
 * /livez answers, and /readyz (with gRPC health) turns 503 / NOT_SERVING when a node is cut off
 * from the rest of the cluster and 200 / SERVING again once it is back.
 */
class AdminEndpointTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path root;

    private static HttpResponse<String> get(final ClusterFixture cluster, final String id, final String path)
        throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.spec(id).adminPort() + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(final ClusterFixture cluster, final String id, final String path) {
        try {
            return get(cluster, id, path).statusCode();
        } catch (final IOException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static ServingStatus health(final ClusterFixture cluster, final String id) {
        try {
            return HealthGrpc.newBlockingStub(cluster.channel(id)).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } catch (final StatusRuntimeException e) {
            return ServingStatus.UNKNOWN;
        }
    }

    @Test
    void metricsLivenessAndReadinessThatFlipsWhenCutOff() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3)) {
            cluster.startAll();
            final List<String> ids = cluster.ids();
            final String leader = cluster.awaitLeader(ids);
            for (int i = 0; i < 20; i++) {
                cluster.kv(leader).put(PutRequest.newBuilder().setKey(bytes("k" + i)).setValue(bytes("v")).build());
            }
            final String metrics = get(cluster, leader, "/metrics").body();
            for (final String series : List.of(
                "duet_grpc_server_handled_total{code=\"OK\",method=\"duet.v1.KV/Put\"} ",
                "duet_grpc_server_latency_seconds_count{method=\"duet.v1.KV/Put\"} ",
                "duet_write_entry_writes_count ", "duet_wal_appended_bytes_total{log=\"intent\"} ",
                "duet_wal_syncs_total{log=\"completion\"} ", "duet_raft_commit_index ", "duet_keys ",
                "duet_repaired_intents_total ", "duet_recovery_seconds ",
                "duet_wal_sync_latency_seconds{log=\"intent\",quantile=\"0.99\"} ",
                "duet_wal_sync_latency_seconds_count{log=\"completion\"} ", "jvm_memory_heap_used ",
                "jvm_gc_", "jvm_threads_count ", "ratis_")) {
                assertTrue(metrics.contains(series), "/metrics has " + series + "\n" + metrics.lines()
                    .filter(l -> !l.startsWith("#") && !l.startsWith("ratis_")).toList());
            }
            assertEquals(200, status(cluster, leader, "/livez"));

            final String survivor = ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            cluster.await("the follower ready", () -> status(cluster, survivor, "/readyz") == 200
                && health(cluster, survivor) == ServingStatus.SERVING);
            final List<String> others = ids.stream().filter(id -> !id.equals(survivor)).toList();
            for (final String id : others) {
                cluster.kill(id);
            }
            cluster.await("the cut-off node not ready", () -> status(cluster, survivor, "/readyz") == 503
                && health(cluster, survivor) == ServingStatus.NOT_SERVING);
            assertTrue(get(cluster, survivor, "/readyz").body().contains("no leader"),
                get(cluster, survivor, "/readyz").body());
            assertEquals(200, status(cluster, survivor, "/livez"), "cut off is not dead");
            for (final String id : others) {
                cluster.start(id);
            }
            cluster.await("ready again", () -> status(cluster, survivor, "/readyz") == 200
                && health(cluster, survivor) == ServingStatus.SERVING);
        }
    }
}

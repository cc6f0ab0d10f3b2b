package io.duetdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.RangeResponse;
import io.duetdb.server.testing.AckedWriter;
import io.duetdb.server.testing.ClusterFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real node processes: replication, leader crash, follower catch-up, whole-cluster restart. */
class ReplicationTest {
    @TempDir
    Path root;

    static ByteString bytes(final String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    static String get(final ClusterFixture cluster, final String node, final String key, final boolean serializable) {
        final RangeResponse r = cluster.kv(node).range(RangeRequest.newBuilder().setKey(bytes(key))
            .setSerializable(serializable).build());
        return r.getKvsCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
    }

    /** Every acknowledged write is on {@code node} (read linearizably, in pages of 200 keys). */
    static void assertAllPresent(final ClusterFixture cluster, final String node, final Map<String, String> acked) {
        final Map<String, String> found = new java.util.HashMap<>();
        ByteString from = bytes("\0");
        while (true) {
            final RangeResponse page = cluster.kv(node).range(RangeRequest.newBuilder().setKey(from)
                .setRangeEnd(bytes("\0")).setLimit(200).build());
            for (final io.duetdb.api.v1.KeyValue kv : page.getKvsList()) {
                found.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8());
            }
            if (!page.getMore()) {
                break;
            }
            from = page.getKvs(page.getKvsCount() - 1).getKey().concat(ByteString.copyFrom(new byte[] {0}));
        }
        for (final Map.Entry<String, String> e : acked.entrySet()) {
            assertEquals(e.getValue(), found.get(e.getKey()), "acknowledged write " + e.getKey() + " on " + node
                + "\n" + cluster.logTails());
        }
    }

    @Test
    void writesReplicateSurviveLeaderCrashAndWholeClusterRestart() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3)) {
            cluster.startAll();
            final List<String> all = cluster.ids();
            final String firstLeader = cluster.awaitLeader(all);
            String leader = firstLeader;

            // Writes on the leader are read back on every node, linearizably and locally.
            for (int i = 0; i < 50; i++) {
                cluster.kv(leader).put(PutRequest.newBuilder().setKey(bytes("first-" + i)).setValue(bytes("v" + i))
                    .build());
            }
            for (final String node : all) {
                assertEquals("v49", get(cluster, node, "first-49", false), "linearizable read on " + node);
            }
            final long digest = cluster.awaitConverged(all, 50);
            for (final String node : all) {
                assertEquals("v7", get(cluster, node, "first-7", true), "serializable read on " + node);
            }
            assertNotEquals(0, digest);

            // Bad input is refused with INVALID_ARGUMENT and a message naming the limit.
            final StatusRuntimeException emptyKey = assertThrows(StatusRuntimeException.class,
                () -> cluster.kv(firstLeader).put(PutRequest.newBuilder().setKey(ByteString.EMPTY).setValue(bytes("v"))
                    .build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, emptyKey.getStatus().getCode());
            final StatusRuntimeException tooBig = assertThrows(StatusRuntimeException.class,
                () -> cluster.kv(firstLeader).put(PutRequest.newBuilder().setKey(bytes("big"))
                    .setValue(ByteString.copyFrom(new byte[1024 * 1024 + 1])).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, tooBig.getStatus().getCode());
            assertTrue(tooBig.getStatus().getDescription().contains("1048576"), tooBig.getStatus().getDescription());

            // kill -9 the leader while writes are in flight: a new leader, nothing acknowledged lost.
            final AckedWriter writer = new AckedWriter(cluster, () -> all.stream().filter(cluster::isRunning).toList(),
                "crash", 4, 100_000).start();
            cluster.await("some writes acknowledged", () -> writer.ackedCount() >= 200);
            cluster.kill(leader);
            final String oldLeader = leader;
            final List<String> survivors = all.stream().filter(id -> !id.equals(oldLeader)).toList();
            leader = cluster.awaitLeader(survivors);
            assertNotEquals(oldLeader, leader);
            final int ackedAtCrash = writer.ackedCount();
            cluster.await("writes acknowledged by the new leader", () -> writer.ackedCount() >= ackedAtCrash + 200);

            // The killed node restarts and catches up.
            cluster.start(oldLeader);
            cluster.await("more writes", () -> writer.ackedCount() >= ackedAtCrash + 400);
            writer.close();
            final Map<String, String> acked = writer.acked();
            final long afterCatchUp = cluster.awaitConverged(all, 1);
            for (final String node : all) {
                assertAllPresent(cluster, node, acked);
            }

            // All three killed mid-load and restarted: identical state everywhere, nothing lost.
            final AckedWriter second = new AckedWriter(cluster, () -> all.stream().filter(cluster::isRunning).toList(),
                "all", 4, 100_000).start();
            cluster.await("writes before the whole-cluster crash", () -> second.ackedCount() >= 200);
            for (final String node : all) {
                cluster.kill(node);
            }
            second.close();
            for (final String node : all) {
                cluster.start(node);
            }
            cluster.awaitLeader(all);
            final long restarted = cluster.awaitConverged(all, 1);
            assertNotEquals(afterCatchUp, restarted, "the second load changed the table");
            for (final String node : all) {
                assertAllPresent(cluster, node, acked);
                assertAllPresent(cluster, node, second.acked());
            }
            assertTrue(second.ackedCount() >= 200);
        }
    }
}

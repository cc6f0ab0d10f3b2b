package io.duetdb.server;

import static io.duetdb.server.ReplicationTest.bytes;
import static io.duetdb.server.ReplicationTest.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.duetdb.api.v1.PutRequest;
import io.duetdb.server.testing.ClusterFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's nudge for a follower that stays behind (IdleFollowerNudge) proposes a no-op entry.
 * That entry must replicate like any other: an entry without a payload once wedged the cluster,
 * since Ratis asked read() for data that no intent log held (found by the Jepsen harness with a
 * leader isolated for 7 s).
 */
class FollowerNudgeTest {
    @TempDir
    Path root;

    @Test
    void aNudgeForADownFollowerReplicatesAndTheFollowerCatchesUp() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3)) {
            cluster.startAll();
            final String leader = cluster.awaitLeader(cluster.ids());
            final String down = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            final List<String> up = cluster.ids().stream().filter(id -> !id.equals(down)).toList();
            cluster.kill(down);
            put(cluster, leader, "before-nudge", "1");

            // The follower stays behind for STUCK_CHECKS periods: the leader proposes a no-op entry.
            cluster.await("the leader to nudge " + down,
                () -> cluster.log(leader).contains("proposing an empty entry"));
            put(cluster, leader, "after-nudge", "2"); // commits only if the nudge entry replicated
            final long applied = cluster.statusOrNull(leader).getAppliedIndex();
            cluster.awaitConverged(up, applied);

            cluster.start(down);
            cluster.awaitConverged(cluster.ids(), applied);
            assertEquals("2", get(cluster, down, "after-nudge", true));
            for (final String id : cluster.ids()) {
                assertFalse(cluster.log(id).contains("stops serving"), id + " stopped serving\n" + cluster.log(id));
            }
        }
    }

    private static void put(final ClusterFixture cluster, final String node, final String key, final String value) {
        cluster.kv(node).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
            .put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
    }
}

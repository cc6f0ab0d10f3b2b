package io.duetdb.server;

import static io.duetdb.server.ReplicationTest.assertAllPresent;
import static io.duetdb.server.ReplicationTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.api.v1.Member;
import io.duetdb.api.v1.MemberAddRequest;
import io.duetdb.api.v1.MemberListRequest;
import io.duetdb.api.v1.MemberListResponse;
import io.duetdb.api.v1.MemberRemoveRequest;
import io.duetdb.api.v1.MoveLeaderRequest;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.PutResponse;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.api.v1.WriteId;
import io.duetdb.server.api.KvService;
import io.duetdb.server.testing.ClusterFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots with purging and installation on a lagging follower, exactly-once writes across
 * restarts, and membership: 3 to 4 (the new node starts empty and catches up), 4 to 3, and a
 * leadership transfer. Real processes; snapshots every 200 entries and 64 KiB Raft log segments,
 * 8 MiB intent segments and 8 KiB values, so purging and recycling happen within a few thousand writes.
 */
class SnapshotMembershipTest {
    @TempDir
    Path root;

    private static PutRequest put(final String key, final String value, final long sequence) {
        final PutRequest.Builder b = PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value));
        if (sequence > 0) {
            b.setWriteId(WriteId.newBuilder().setClientId(KvService.clientId(42, 4242)).setSequence(sequence));
        }
        return b.build();
    }

    private static Map<String, String> write(final ClusterFixture cluster, final String node, final String prefix,
                                             final int count) {
        final Map<String, String> acked = new HashMap<>();
        for (int i = 0; i < count; i++) {
            final String value = "v" + i + "-" + "x".repeat(8 * 1024); // 8 KiB: intent segments roll
            cluster.kv(node).put(put(prefix + i, value, 0));
            acked.put(prefix + i, value);
        }
        return acked;
    }

    private static long version(final ClusterFixture cluster, final String node, final String key) {
        return cluster.kv(node).range(RangeRequest.newBuilder().setKey(bytes(key)).build()).getKvs(0).getVersion();
    }

    @Test
    void snapshotsExactlyOnceAndMembership() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3, "--snapshot-every", "200",
            "--raft-segment-bytes", "65536", "--intent-segment-bytes", String.valueOf(8 << 20))) {
            cluster.startAll();
            final List<String> initial = cluster.ids();
            String leader = cluster.awaitLeader(initial);

            // Exactly once: the same write id twice applies once.
            final PutResponse first = cluster.kv(leader).put(put("once", "1", 1));
            assertFalse(first.getDuplicate());
            final PutResponse again = cluster.kv(leader).put(put("once", "1", 1));
            assertTrue(again.getDuplicate(), "a retried write id is reported as a duplicate");
            assertEquals(first.getHeader().getRevision(), again.getHeader().getRevision());
            assertEquals(1, version(cluster, leader, "once"), "applied once");

            // A follower is down while enough is written to snapshot and purge the Raft log.
            final String currentLeader = leader;
            final String lagging = initial.stream().filter(id -> !id.equals(currentLeader)).findFirst().orElseThrow();
            cluster.kill(lagging);
            final Map<String, String> acked = new HashMap<>(write(cluster, leader, "s-", 1500));
            final List<String> up = initial.stream().filter(id -> !id.equals(lagging)).toList();
            cluster.await("a snapshot on the leader", () -> {
                final StatusResponse s = cluster.statusOrNull(currentLeader);
                return s != null && s.getSnapshotIndex() > 1000;
            });
            cluster.start(lagging);
            cluster.awaitConverged(initial, 1500);
            assertTrue(cluster.log(lagging).contains("installed snapshot at index"),
                "the lagging follower caught up by snapshot installation\n" + cluster.logTails());
            assertAllPresent(cluster, lagging, acked);
            final StatusResponse leaderStatus = cluster.statusOrNull(leader);
            assertTrue(leaderStatus.getIntentFirstIndex() > 1, "intent segments below the snapshot were recycled: "
                + leaderStatus);

            // Exactly once across a whole-cluster restart (the session table came back from a snapshot).
            for (final String id : initial) {
                cluster.kill(id);
            }
            for (final String id : initial) {
                cluster.start(id);
            }
            leader = cluster.awaitLeader(initial);
            cluster.awaitConverged(initial, 1500); // replay done everywhere: the leader is ready for writes
            assertTrue(cluster.kv(leader).put(put("once", "1", 1)).getDuplicate(), "duplicate after restart");
            assertEquals(1, version(cluster, leader, "once"));
            assertFalse(cluster.kv(leader).put(put("once", "2", 2)).getDuplicate(), "a new sequence applies");
            assertEquals(2, version(cluster, leader, "once"));

            // 3 -> 4: a new empty node joins and catches up.
            final ClusterFixture.NodeSpec n4 = cluster.addSpec("n4");
            cluster.startJoining("n4");
            final MemberListResponse four = cluster.cluster(leader).memberAdd(MemberAddRequest.newBuilder()
                .setMember(Member.newBuilder().setId("n4").setPeerAddress("127.0.0.1:" + n4.peerPort())
                    .setClientAddress("127.0.0.1:" + n4.clientPort())).build());
            assertEquals(4, four.getMembersCount());
            final List<String> all4 = cluster.ids();
            acked.putAll(write(cluster, leader, "m-", 50));
            cluster.awaitConverged(all4, 1);
            assertAllPresent(cluster, "n4", acked);

            // 4 -> 3.
            final MemberListResponse three = cluster.cluster(leader).memberRemove(
                MemberRemoveRequest.newBuilder().setId("n4").build());
            assertEquals(3, three.getMembersCount());
            cluster.kill("n4");
            assertEquals(3, cluster.cluster(leader).memberList(MemberListRequest.getDefaultInstance())
                .getMembersCount());
            acked.putAll(write(cluster, leader, "r-", 20));

            // Leadership transfer.
            final String from = leader;
            final String target = initial.stream().filter(id -> !id.equals(from)).findFirst().orElseThrow();
            cluster.cluster(leader).moveLeader(MoveLeaderRequest.newBuilder().setTargetId(target).build());
            cluster.await("leadership moved to " + target, () -> {
                final StatusResponse s = cluster.statusOrNull(target);
                return s != null && target.equals(s.getLeaderId());
            });
            assertNotEquals(from, cluster.awaitLeader(initial));
            acked.putAll(write(cluster, target, "t-", 20));
            cluster.awaitConverged(initial, 1);
            for (final String id : new ArrayList<>(initial)) {
                assertAllPresent(cluster, id, acked);
            }
        }
    }
}

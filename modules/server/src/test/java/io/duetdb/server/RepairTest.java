package io.duetdb.server;

import static io.duetdb.server.ReplicationTest.assertAllPresent;
import static io.duetdb.server.ReplicationTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.server.testing.ClusterFixture;
import io.duetdb.server.testing.Damage;
import io.duetdb.storage.wal.WalKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repair from replicas with real processes: a stopped node's intent log is damaged (bits flipped,
 * segment cut, segment deleted), and on restart the node re-fetches every intent it needs from a
 * replica, verifies it, and ends with the same table as the others. A damaged completion log is
 * rebuilt by re-applying intents. A single node with a corrupt committed intent refuses to start.
 */
class RepairTest {
    @TempDir
    Path root;

    private static Map<String, String> write(final ClusterFixture cluster, final String node, final String prefix,
                                             final int count) {
        final Map<String, String> acked = new HashMap<>();
        for (int i = 0; i < count; i++) {
            cluster.kv(node).put(PutRequest.newBuilder().setKey(bytes(prefix + i)).setValue(bytes("value-" + i))
                .build());
            acked.put(prefix + i, "value-" + i);
        }
        return acked;
    }

    private static StatusResponse status(final ClusterFixture cluster, final String node) {
        return cluster.statusOrNull(node);
    }

    @Test
    void damagedIntentLogsAreRepairedFromReplicasOnFollowerAndLeaderNodes() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3)) {
            cluster.startAll();
            final List<String> all = cluster.ids();
            String leader = cluster.awaitLeader(all);
            final Map<String, String> acked = write(cluster, leader, "a-", 300);
            cluster.awaitConverged(all, 300);

            // 1. A follower: flip bits in 20 intents.
            final String currentLeader = leader;
            final String follower = all.stream().filter(id -> !id.equals(currentLeader)).findFirst().orElseThrow();
            cluster.kill(follower);
            final Path intents = cluster.dataDir(follower).resolve("intent");
            final List<Damage.Placed> records = Damage.records(intents, WalKind.INTENT);
            assertTrue(records.size() >= 300, "intents on disk: " + records.size());
            Damage.flipBits(records.subList(100, 120));
            cluster.start(follower);
            expectRepaired(cluster, all, follower, acked);

            // 2. The leader's node: cut its intent segment in the middle of the records.
            leader = cluster.awaitLeader(all);
            acked.putAll(write(cluster, leader, "b-", 100));
            cluster.awaitConverged(all, 400);
            cluster.kill(leader);
            final Path leaderIntents = cluster.dataDir(leader).resolve("intent");
            final List<Damage.Placed> leaderRecords = Damage.records(leaderIntents, WalKind.INTENT);
            final Damage.Placed cut = leaderRecords.get(leaderRecords.size() / 2);
            Damage.truncate(cut.file(), cut.offset() + 10);
            final String oldLeader = leader;
            final List<String> others = all.stream().filter(id -> !id.equals(oldLeader)).toList();
            leader = cluster.awaitLeader(others);
            acked.putAll(write(cluster, leader, "c-", 50));
            cluster.start(oldLeader);
            expectRepaired(cluster, all, oldLeader, acked);

            // 3. Another node: delete its intent segments outright.
            final String third = all.stream().filter(id -> !id.equals(follower) && !id.equals(oldLeader))
                .findFirst().orElseThrow();
            cluster.kill(third);
            for (final Path segment : Damage.segments(cluster.dataDir(third).resolve("intent"))) {
                Files.delete(segment);
            }
            cluster.start(third);
            expectRepaired(cluster, all, third, acked);

            // 4. A damaged completion log is set aside and rebuilt by re-applying the intents.
            final String node = follower;
            cluster.kill(node);
            final List<Damage.Placed> completions = Damage.records(cluster.dataDir(node).resolve("completion"),
                WalKind.COMPLETION);
            Damage.flipBits(completions.subList(10, 11));
            cluster.start(node);
            final long digest = cluster.awaitConverged(all, 450);
            final StatusResponse s = status(cluster, node);
            assertTrue(s.getRecoveryActionsOrDefault("REPLAY_AND_RECORD", 0) > 0, "completions re-recorded: " + s);
            try (Stream<Path> files = Files.list(cluster.dataDir(node))) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("completion.corrupt-")),
                    "the damaged completion log is kept aside for inspection");
            }
            assertEquals(digest, s.getDigest());
            assertAllPresent(cluster, node, acked);
        }
    }

    private static void expectRepaired(final ClusterFixture cluster, final List<String> all, final String node,
                                       final Map<String, String> acked) throws InterruptedException {
        cluster.await(node + " repaired intents from a replica", () -> {
            final StatusResponse s = cluster.statusOrNull(node);
            return s != null && s.getRepairedIntents() > 0;
        });
        final long digest = cluster.awaitConverged(all, 1);
        final StatusResponse s = cluster.statusOrNull(node);
        assertEquals(digest, s.getDigest(), "repaired node's table");
        assertEquals("", s.getFailure());
        assertAllPresent(cluster, node, acked);
    }

    @Test
    void aSingleNodeWithACorruptCommittedIntentRefusesToStartAndSaysWhere() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 1)) {
            cluster.startAll();
            cluster.awaitLeader(List.of("n1"));
            write(cluster, "n1", "k-", 50);
            cluster.awaitConverged(List.of("n1"), 50);
            cluster.kill("n1");
            final List<Damage.Placed> records = Damage.records(cluster.dataDir("n1").resolve("intent"),
                WalKind.INTENT);
            final Damage.Placed victim = records.get(20);
            Damage.flipBits(List.of(victim));
            cluster.start("n1");
            final int exit = cluster.awaitExit("n1", ClusterFixture.AWAIT_MS);
            assertEquals(DuetNodeMain.EXIT_REPLICA_FAILED, exit, cluster.log("n1"));
            final String log = cluster.log("n1");
            assertTrue(log.contains("index " + victim.index()) && log.contains(victim.file().getFileName().toString())
                && log.contains("offset " + victim.offset()), "the refusal names file, offset and index:\n" + log);
        }
    }
}

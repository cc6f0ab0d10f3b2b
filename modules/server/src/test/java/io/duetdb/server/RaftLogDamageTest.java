package io.duetdb.server;

import static io.duetdb.server.ReplicationTest.assertAllPresent;
import static io.duetdb.server.ReplicationTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.SnapshotRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.server.testing.ClusterFixture;
import io.duetdb.server.testing.Damage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose Raft log was damaged while it was down comes back by itself, and does not vote
 * until it has caught up (docs/recovery.md#raft-log). Real processes, SIGKILL, damage on disk.
 */
class RaftLogDamageTest {
    @TempDir
    Path root;

    private static Map<String, String> write(final ClusterFixture cluster, final String node, final String prefix,
                                             final int count) {
        final Map<String, String> acked = new HashMap<>();
        for (int i = 0; i < count; i++) {
            cluster.kv(node).put(PutRequest.newBuilder().setKey(bytes(prefix + i)).setValue(bytes("value-" + i)).build());
            acked.put(prefix + i, "value-" + i);
        }
        return acked;
    }

    /** The Raft log segments of a member (raft/<group>/current/log_*), oldest first. */
    static List<Path> raftSegments(final Path dataDir) throws IOException {
        try (Stream<Path> groups = Files.list(dataDir.resolve("raft"))) {
            final Path group = groups.filter(Files::isDirectory).findFirst().orElseThrow();
            try (Stream<Path> files = Files.list(group.resolve("current"))) {
                return files.filter(p -> p.getFileName().toString().startsWith("log_")).sorted().toList();
            }
        }
    }

    /** The file's length without its trailing zeros. */
    private static long dataEnd(final Path file) throws IOException {
        final byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static long firstIndex(final Path segment) {
        final String name = segment.getFileName().toString();
        final String digits = name.startsWith("log_inprogress_") ? name.substring("log_inprogress_".length())
            : name.substring("log_".length(), name.indexOf('-'));
        return Long.parseLong(digits);
    }

    /** Until the member reports what its startup check found, votes again and is ready. */
    private static void awaitBackAndVoting(final ClusterFixture cluster, final String node)
        throws InterruptedException {
        cluster.await(node + " votes again after catching up", () -> {
            final StatusResponse s = cluster.statusOrNull(node);
            return s != null && s.getRaftLogFindingsCount() > 0 && s.getVoteGuard().isEmpty()
                && s.getNotReady().isEmpty();
        });
    }

    private static String other(final List<String> all, final String... not) {
        return all.stream().filter(id -> !List.of(not).contains(id)).findFirst().orElseThrow();
    }

    @Test
    void aFollowerWhoseRaftLogWasCutBelowItsSnapshotSetsItAsideCatchesUpAndVotesAgain() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3)) {
            cluster.startAll();
            final List<String> all = cluster.ids();
            final String leader = cluster.awaitLeader(all);
            final Map<String, String> acked = write(cluster, leader, "a-", 300);
            cluster.awaitConverged(all, 300);
            final String follower = other(all, leader);
            final long snapshotIndex = cluster.maintenance(follower).snapshot(SnapshotRequest.getDefaultInstance())
                .getIndex();
            acked.putAll(write(cluster, leader, "b-", 200));
            cluster.awaitConverged(all, snapshotIndex + 200);
            cluster.kill(follower);

            // Cut the follower's segment that holds its snapshot index to a tenth: its log now ends
            // below its snapshot, where Ratis 3.3.0 stays behind for good answering INCONSISTENCY.
            final Path last = raftSegments(cluster.dataDir(follower)).stream()
                .filter(p -> firstIndex(p) <= snapshotIndex).reduce((a, b) -> b).orElseThrow();
            Damage.truncate(last, dataEnd(last) / 10); // Ratis preallocates an open segment with zeros
            acked.putAll(write(cluster, leader, "c-", 100));
            cluster.start(follower);

            awaitBackAndVoting(cluster, follower);
            final long digest = cluster.awaitConverged(all, snapshotIndex + 300);
            final StatusResponse s = cluster.statusOrNull(follower);
            assertEquals(digest, s.getDigest());
            assertEquals("", s.getFailure());
            assertTrue(s.getRaftLogFindings(0).contains(last.getFileName().toString()), s.getRaftLogFindingsList()
                .toString());
            final String log = cluster.log(follower);
            assertTrue(log.contains("does not vote until it has caught up") && log.contains("votes again"), log);
            try (Stream<Path> kept = Files.list(cluster.dataDir(follower).resolve("quarantine"))) {
                assertTrue(kept.findFirst().map(d -> Files.exists(d.resolve(last.getFileName()))).orElse(false),
                    "the cut segment is kept aside as evidence");
            }
            for (final String node : all) {
                assertAllPresent(cluster, node, acked);
            }
        }
    }

    /**
     * Raft's metadata (term and vote) lost on the old leader: Ratis will not open a directory
     * without it, so the startup check writes a fresh one at the highest term the log still holds,
     * with no vote, and the member does not vote until it has caught up.
     */
    @Test
    void aLeaderWhoseRaftMetadataWasDamagedComesBackAndVotesAgain() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3)) {
            cluster.startAll();
            final List<String> all = cluster.ids();
            final String damaged = cluster.awaitLeader(all);
            final Map<String, String> acked = write(cluster, damaged, "a-", 100);
            cluster.awaitConverged(all, 100);
            cluster.kill(damaged);
            final Path meta = raftSegments(cluster.dataDir(damaged)).get(0).resolveSibling("raft-meta");
            Files.writeString(meta, "term=\u0000\u0000\nvotedFor");
            final List<String> others = all.stream().filter(id -> !id.equals(damaged)).toList();
            final String leader = cluster.awaitLeader(others);
            acked.putAll(write(cluster, leader, "b-", 50));
            final long leaderApplied = cluster.statusOrNull(leader).getAppliedIndex();
            cluster.start(damaged);

            awaitBackAndVoting(cluster, damaged);
            cluster.awaitConverged(all, leaderApplied);
            final StatusResponse s = cluster.statusOrNull(damaged);
            assertTrue(s.getRaftLogFindingsList().stream().anyMatch(f -> f.contains("raft-meta")),
                s.getRaftLogFindingsList().toString());
            assertTrue(cluster.log(damaged).contains("wrote a fresh raft-meta"), "the log says what was done");
            for (final String node : all) {
                assertAllPresent(cluster, node, acked);
            }
        }
    }

    /**
     * The voting rule. With one member down, writes W are committed by the leader and a follower F.
     * Then the leader and F are killed and F's Raft log is deleted: now only the leader's disk holds
     * W. F and the third member, which never saw W, start. If F voted, the third member would be
     * elected without W and W would be lost. F refuses, so there is no leader until the old leader
     * returns; then F catches up and W is on every member.
     */
    @Test
    void aMemberThatLostCommittedEntriesDoesNotHelpElectALeaderWithoutThem() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3)) {
            cluster.startAll();
            final List<String> all = cluster.ids();
            final String leader = cluster.awaitLeader(all);
            final Map<String, String> acked = write(cluster, leader, "before-", 50);
            cluster.awaitConverged(all, 50);
            final String damaged = other(all, leader);
            final String third = other(all, leader, damaged);
            cluster.kill(third);
            acked.putAll(write(cluster, leader, "w-", 100));
            final long leaderApplied = cluster.statusOrNull(leader).getAppliedIndex();
            cluster.awaitConverged(List.of(leader, damaged), leaderApplied);
            cluster.kill(leader);
            cluster.kill(damaged);
            for (final Path segment : raftSegments(cluster.dataDir(damaged))) {
                Files.delete(segment);
            }

            cluster.start(damaged);
            cluster.start(third);
            cluster.await(damaged + " refuses the third member's vote requests", () ->
                countOccurrences(cluster.log(damaged), "refused a vote request") >= 3);
            final StatusResponse thirdStatus = cluster.statusOrNull(third);
            assertTrue(thirdStatus == null || thirdStatus.getLeaderId().isEmpty(),
                "no leader without the entries only the old leader holds: " + thirdStatus);

            cluster.start(leader);
            final String newLeader = cluster.awaitLeader(all);
            assertEquals(leader, newLeader, "only the member holding W can be elected");
            cluster.await(damaged + " votes again", () -> {
                final StatusResponse s = cluster.statusOrNull(damaged);
                return s != null && s.getVoteGuard().isEmpty();
            });
            cluster.awaitConverged(all, leaderApplied);
            for (final String node : all) {
                assertAllPresent(cluster, node, acked);
            }
        }
    }

    /**
     * The two-member cell: the leader and a follower lose their whole Raft logs at once, in a
     * whole-cluster restart. The third member kept its log, which holds everything the two had
     * acknowledged, so they vote for it (their intent logs show what they held: {@link
     * io.duetdb.server.recovery.VoteFloor}) and the cluster serves again with nothing lost; neither of
     * them can lead.
     */
    @Test
    void twoMembersThatLostTheirRaftLogsElectTheMemberThatHoldsEverything() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(root, 3)) {
            cluster.startAll();
            final List<String> all = cluster.ids();
            final String leader = cluster.awaitLeader(all);
            final Map<String, String> acked = write(cluster, leader, "a-", 100);
            final long applied = cluster.statusOrNull(leader).getAppliedIndex();
            cluster.awaitConverged(all, applied);
            final String keeper = other(all, leader);
            final List<String> damaged = all.stream().filter(id -> !id.equals(keeper)).toList();
            for (final String node : all) {
                cluster.kill(node);
            }
            for (final String node : damaged) {
                for (final Path segment : raftSegments(cluster.dataDir(node))) {
                    Files.delete(segment);
                }
            }
            for (final String node : all) {
                cluster.start(node);
            }

            assertEquals(keeper, cluster.awaitLeader(all), "only the member that kept its log can lead");
            acked.putAll(write(cluster, keeper, "b-", 20));
            final long end = cluster.statusOrNull(keeper).getAppliedIndex();
            for (final String node : damaged) {
                cluster.await(node + " votes again", () -> {
                    final StatusResponse s = cluster.statusOrNull(node);
                    return s != null && s.getVoteGuard().isEmpty();
                });
            }
            cluster.awaitConverged(all, end);
            assertTrue(damaged.stream().anyMatch(node -> cluster.log(node).contains("let a vote request from " + keeper)),
                "a damaged member voted because the candidate's log reaches what it held");
            for (final String node : all) {
                assertAllPresent(cluster, node, acked);
            }
        }
    }

    private static int countOccurrences(final String text, final String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            count++;
        }
        return count;
    }
}

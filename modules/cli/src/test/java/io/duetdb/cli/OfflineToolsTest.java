package io.duetdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.server.testing.ClusterFixture;
import io.duetdb.server.testing.Damage;
import io.duetdb.storage.wal.WalKind;
import com.google.protobuf.ByteString;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wal inspect/verify on a stopped member, and snapshot save, restore and a node serving the restored data. */
class OfflineToolsTest {
    private static final int KEYS = 200;

    @TempDir
    Path root;

    @Test
    void walVerifyFindsAFlippedBitAndSnapshotRestoreServesTheSameData() throws Exception {
        final String digest;
        final Path archive = root.resolve("backup.duet");
        final Path damagedDir;
        try (ClusterFixture cluster = new ClusterFixture(Files.createDirectories(root.resolve("c1")), 3)) {
            cluster.startAll();
            final String leader = cluster.awaitLeader(cluster.ids());
            for (int i = 0; i < KEYS; i++) {
                cluster.kv(leader).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("key/" + i))
                    .setValue(ByteString.copyFromUtf8("value " + i)).build());
            }
            // A leader change puts the backup in term 2 or later: a restored node starts again at
            // term 1, which the restore must allow for (Raft's applied term never goes back).
            final String endpoint = cluster.clientEndpoint(leader);
            final Cli moved = Cli.run("--endpoints", endpoint, "move-leader", "--away", "-w", "json");
            assertEquals(0, moved.exitCode(), moved.toString());
            final String newLeader = cluster.awaitLeader(cluster.ids());
            final long applied = cluster.statusOrNull(newLeader).getAppliedIndex();
            digest = Long.toHexString(cluster.awaitConverged(cluster.ids(), applied));

            final Cli saved = Cli.run("--endpoints", endpoint, "snapshot", "save", archive.toString(), "-w", "json");
            assertEquals(0, saved.exitCode(), saved.toString());
            assertTrue(saved.json().getAsJsonObject().get("snapshot_index").getAsLong() >= applied, saved.toString());
            assertTrue(saved.json().getAsJsonObject().get("snapshot_term").getAsLong() >= 2, saved.toString());

            // wal inspect / verify on a stopped follower: clean first, then with one flipped bit.
            final String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            cluster.kill(follower);
            damagedDir = cluster.dataDir(follower);
            final Cli inspect = Cli.run("wal", "inspect", damagedDir.toString(), "-w", "json");
            assertEquals(0, inspect.exitCode(), inspect.toString());
            final JsonObject intent = inspect.json().getAsJsonArray().get(0).getAsJsonObject();
            assertEquals("intent", intent.get("log").getAsString());
            assertTrue(intent.get("records").getAsLong() >= KEYS / 2, intent.toString()); // batching may merge
            assertEquals(0, Cli.run("wal", "verify", damagedDir.toString()).exitCode());

            final List<Damage.Placed> records = Damage.records(damagedDir.resolve("intent"), WalKind.INTENT);
            final Damage.Placed victim = records.get(records.size() / 2);
            Damage.flipBits(List.of(victim));
            final Cli verify = Cli.run("wal", "verify", damagedDir.toString(), "-w", "json");
            assertEquals(DuetCtl.EXIT_ERROR, verify.exitCode(), verify.toString());
            final JsonObject report = verify.json().getAsJsonObject();
            assertEquals(false, report.get("ok").getAsBoolean());
            final JsonObject intentCheck = report.getAsJsonArray("checks").get(0).getAsJsonObject();
            final JsonArray corruptions = intentCheck.getAsJsonArray("corruptions");
            assertEquals(1, corruptions.size(), corruptions.toString());
            final JsonObject c = corruptions.get(0).getAsJsonObject();
            assertEquals(victim.file().toString(), c.get("file").getAsString());
            assertEquals(victim.offset(), c.get("offset").getAsLong());
            assertEquals(victim.index(), Math.max(c.get("index").getAsLong(), c.get("index_after").getAsLong() + 1),
                c.toString());
            final Cli simple = Cli.run("wal", "verify", damagedDir.toString(), "-w", "simple");
            assertTrue(simple.out().contains("intent: DAMAGED: " + victim.file() + " at offset " + victim.offset()),
                simple.toString());
        }

        // Restore into a new directory and start a one-node cluster on it.
        try (ClusterFixture restored = new ClusterFixture(Files.createDirectories(root.resolve("c2")), 1)) {
            final Cli restore = Cli.run("snapshot", "restore", archive.toString(), "--data-dir",
                restored.dataDir("n1").toString(), "-w", "json");
            assertEquals(0, restore.exitCode(), restore.toString());
            assertEquals(digest, restore.json().getAsJsonObject().get("digest").getAsString());
            assertEquals(KEYS, restore.json().getAsJsonObject().get("keys").getAsLong());
            assertEquals(0, restore.json().getAsJsonObject().get("restored_term").getAsLong(), restore.toString());
            assertEquals(DuetCtl.EXIT_USAGE, Cli.run("snapshot", "restore", archive.toString(), "--data-dir",
                restored.dataDir("n1").toString()).exitCode(), "restoring over data is refused");

            restored.startAll();
            restored.awaitLeader(restored.ids());
            restored.await("the restored node serves", () -> {
                final var s = restored.statusOrNull("n1");
                return s != null && Long.toHexString(s.getDigest()).equals(digest) && s.getKeyCount() == KEYS;
            });
            assertEquals("value 7", restored.kv("n1").range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("key/7")).build()).getKvs(0).getValue().toStringUtf8());
            final String endpoint = "127.0.0.1:" + restored.spec("n1").clientPort();
            final Cli put = Cli.run("--endpoints", endpoint, "put", "after", "restore");
            assertEquals(0, put.exitCode(), put.toString());
        }

        // A damaged archive is refused and leaves nothing behind.
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.seek(f.length() / 2);
            final int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 1);
        }
        final Path target = root.resolve("c3");
        final Cli bad = Cli.run("snapshot", "restore", archive.toString(), "--data-dir", target.toString());
        assertEquals(DuetCtl.EXIT_ERROR, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("damaged"), bad.toString());
        assertTrue(!Files.exists(target), "a failed restore leaves no directory");
    }

}

package io.duetdb.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.table.KvTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.ratis.server.storage.FileInfo;
import org.junit.jupiter.api.Test;

class SnapshotStoreTest {
    /**
     * Ratis's leader names a snapshot file relative to its own Raft directory only when the path is
     * absolute; a relative path (a member started with a relative --data-dir) reached the follower
     * as "../..." and every install failed. The store hands Ratis absolute paths whatever it was given.
     */
    @Test
    void theSnapshotFilesGivenToRatisAreAbsoluteEvenFromARelativeDataDir() throws Exception {
        final Path relative = Path.of("target", "snapshot-store-test-" + System.nanoTime());
        try {
            final SnapshotStore store = new SnapshotStore(relative.resolve("snapshot"), relative.resolve("tmp"));
            store.write(new KvTable(), new SessionTable(), 7, 2);
            assertEquals(7, store.getLatestSnapshot().getIndex());
            assertEquals(2, store.getLatestSnapshot().getFiles().size());
            for (final FileInfo file : store.getLatestSnapshot().getFiles()) {
                assertTrue(file.getPath().isAbsolute(), file.getPath().toString());
                assertTrue(Files.exists(file.getPath()), file.getPath().toString());
            }
            assertTrue(store.getSnapshotDir().isAbsolute() && store.getTmpDir().isAbsolute());
        } finally {
            try (Stream<Path> files = Files.walk(relative)) {
                for (final Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}

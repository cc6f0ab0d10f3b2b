package io.duetdb.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB peer opens, takes synced puts and leaves a WAL behind (the native library loads here). */
class RocksLogTest {
    @Test
    void syncedPutsLandInTheWal(@TempDir final Path dir) throws Exception {
        try (RocksLog db = new RocksLog(dir)) {
            for (int i = 0; i < 50; i++) {
                db.put(("key-" + i).getBytes(), new byte[256]);
            }
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".log")), "no WAL file in " + dir);
        }
        assertTrue(RocksLog.version().matches("\\d+\\.\\d+\\.\\d+"), RocksLog.version());
    }
}

package io.duetdb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.duetdb.storage.io.IoMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A full disk gives a precise error and loses nothing acknowledged. Runs on a 1 MiB tmpfs that the
 * test mounts itself (needs root, as CI has; skipped where mounting is not permitted).
 */
class DiskFullTest {
    @TempDir
    Path scratch;
    private Path mount;

    @BeforeEach
    void mountTinyFileSystem() throws Exception {
        mount = scratch.resolve("tiny");
        Files.createDirectories(mount);
        final Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "cannot mount a tmpfs here (not root?)");
    }

    @AfterEach
    void unmount() throws Exception {
        // Lazy: detach now even if a kernel worker still holds a reference, so the temp dir can go.
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"IO_URING", "FILECHANNEL"})
    void aFullDiskIsReportedPreciselyAndNothingAcknowledgedIsLost(final IoMode mode) throws Exception {
        final Path dir = mount.resolve("data");
        final StoreOptions options = CrashWriterMain.options(mode).withCheckpointEveryOps(0);
        long acknowledged = 0;
        IOException full = null;
        try (DuetStore store = DuetStore.open(dir, options)) {
            final byte[] value = new byte[1000];
            for (int i = 0; i < 5000 && full == null; i++) { // 5 MB into 1 MiB: it must fill up
                try {
                    store.put(("key-" + i).getBytes(StandardCharsets.UTF_8), value);
                    acknowledged++;
                } catch (final IOException e) {
                    full = e;
                }
            }
        }
        assertNotNull(full, "the disk never filled up");
        assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
        assertTrue(full.getMessage().contains(dir.toString()), "the message names the directory: " + full.getMessage());
        assertTrue(acknowledged > 0);
        try (DuetStore store = DuetStore.open(dir, options)) {
            assertEquals(acknowledged, store.lastAppliedIndex(), "every acknowledged write is there, nothing else");
            for (int i = 0; i < acknowledged; i++) {
                assertNotNull(store.get(("key-" + i).getBytes(StandardCharsets.UTF_8)), "key-" + i);
            }
        }
    }
}

package io.duetdb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.io.IoMode;
import io.duetdb.storage.recovery.RecoveryAction;
import io.duetdb.storage.wal.WalScanner;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each line of the recovery rule, built on disk and opened. */
class DuetStoreRecoveryTest {
    private static final StoreOptions OPTIONS = CrashWriterMain.options(IoMode.AUTO).withCheckpointEveryOps(0);

    @TempDir
    Path dir;

    private long fill(final int puts, final int checkpointAt) throws Exception {
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            for (int i = 1; i <= puts; i++) {
                store.put(("key-" + i).getBytes(StandardCharsets.UTF_8),
                    ("value-" + i + "-" + "x".repeat(400)).getBytes(StandardCharsets.UTF_8));
                if (i == checkpointAt) {
                    store.checkpoint();
                }
            }
            return store.digest();
        }
    }

    private static void flipBit(final Path file, final long byteOffset) throws Exception {
        io.duetdb.storage.testing.FileDamage.flipBit(file, byteOffset * 8 + 4);
    }

    private Path lastSegment(final String log) throws Exception {
        final List<Path> files = WalScanner.segmentFiles(dir.resolve(log));
        return files.get(files.size() - 1);
    }

    @Test
    void validIntentsWithMatchingCompletionsReplayVerified() throws Exception {
        final long digest = fill(300, 0);
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            assertEquals(digest, store.digest());
            assertEquals(300, store.recoveryReport().count(RecoveryAction.REPLAY_VERIFIED)
                + store.recoveryReport().count(RecoveryAction.REPLAY_AND_RECORD));
            assertTrue(store.recoveryReport().count(RecoveryAction.REPLAY_VERIFIED) > 0);
        }
    }

    @Test
    void aDamagedCompletionLogIsSetAsideAndRebuiltFromTheIntents() throws Exception {
        final long digest = fill(300, 0);
        flipBit(lastSegment("completion"), 64 + 56 * 10 + 40);
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            assertEquals(digest, store.digest());
            assertNotNull(store.recoveryReport().completionLogSetAside());
            assertTrue(Files.isDirectory(store.recoveryReport().completionLogSetAside()), "kept for inspection");
            assertEquals(300, store.recoveryReport().count(RecoveryAction.REPLAY_AND_RECORD));
        }
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            assertTrue(store.recoveryReport().completionScan().clean(), "the rebuilt log is clean");
            assertEquals(300, store.recoveryReport().count(RecoveryAction.REPLAY_VERIFIED));
        }
    }

    @Test
    void aDamagedIntentAboveTheCheckpointRefusesToOpenAndSaysWhere() throws Exception {
        fill(300, 100);
        final long[] place = new long[2];
        final Path[] file = new Path[1];
        WalScanner.scan(dir.resolve("intent"), io.duetdb.storage.wal.WalKind.INTENT, 1 << 20,
            (f, off, type, flags, term, index, body, length) -> {
                if (index == 200) {
                    file[0] = f;
                    place[0] = off;
                }
            });
        final Path segment = file[0];
        final long offset = place[0] + 40;
        flipBit(segment, offset);
        final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> DuetStore.open(dir, OPTIONS));
        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("offset " + place[0]), e.getMessage());
        assertTrue(e.getMessage().contains("intent 200 is corrupt"), e.getMessage());
        assertTrue(e.locations().stream().anyMatch(l -> l.contains("index")), e.getMessage());
        // Refusing changed nothing: restore the byte and the store opens with all its data.
        flipBit(segment, offset);
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            assertEquals(300, store.lastAppliedIndex());
        }
    }

    @Test
    void aMissingIntentSegmentRefusesToOpen() throws Exception {
        fill(600, 0);
        final List<Path> segments = WalScanner.segmentFiles(dir.resolve("intent"));
        assertTrue(segments.size() >= 2, segments.toString());
        Files.delete(segments.get(0));
        final CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> DuetStore.open(dir, OPTIONS));
        assertTrue(e.getMessage().contains("intent 1 is"), e.getMessage());
    }

    @Test
    void aTornIntentTailIsCutAndTheStoreOpens() throws Exception {
        fill(50, 0);
        // Append half of a record by hand: what a crash in the middle of a write leaves.
        final Path segment = lastSegment("intent");
        final long end;
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            end = store.recoveryReport().intentScan().segments().get(0).appendOffset();
        }
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            final byte[] partial = new byte[20];
            java.util.Arrays.fill(partial, (byte) 0x5a);
            raf.seek(end);
            raf.write(partial); // a header that never got its second half (end % 512 < 480 here)
        }
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            assertEquals(50, store.lastAppliedIndex());
        }
    }

    @Test
    void damageAtOrBelowTheCheckpointIsHarmless() throws Exception {
        final long digest = fill(400, 350);
        final Path first = WalScanner.segmentFiles(dir.resolve("intent")).get(0);
        flipBit(first, 64 + 40); // index 1, covered by the checkpoint at 350
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            assertEquals(digest, store.digest());
            assertEquals(350, store.recoveryReport().checkpointIndex());
            assertEquals(1, store.recoveryReport().intentScan().corruptions().size(), "still reported");
        }
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToThePreviousOne() throws Exception {
        final long digest;
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            for (int i = 1; i <= 300; i++) {
                store.put(("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8));
                if (i == 100 || i == 200) {
                    store.checkpoint();
                }
            }
            digest = store.digest();
        }
        final Path newest;
        try (Stream<Path> files = Files.list(dir.resolve("checkpoint"))) {
            newest = files.filter(p -> p.toString().contains("00000000000000000200")).findFirst().orElseThrow();
        }
        flipBit(newest, 100);
        try (DuetStore store = DuetStore.open(dir, OPTIONS)) {
            assertEquals(100, store.recoveryReport().checkpointIndex());
            assertEquals(digest, store.digest(), "rolled forward from the previous checkpoint with the kept intents");
        }
    }
}

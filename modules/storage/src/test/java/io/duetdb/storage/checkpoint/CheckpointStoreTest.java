package io.duetdb.storage.checkpoint;

import static io.duetdb.storage.checkpoint.CheckpointFiles.table;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.table.KeyValue;
import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.table.Op;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<KeyValue> entries(final KvTable t) {
        final List<KeyValue> all = new ArrayList<>();
        t.forEach(all::add);
        return all;
    }

    @Test
    void roundTripIsExactAndPublishedAtomically() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        final KvTable t = table(5000, 77);
        t.apply(78, List.of(new Op.Put(new byte[] {(byte) 0xff, 0}, new byte[0], false),
            new Op.Put(new byte[] {0}, new byte[70_000], false)));
        final CheckpointInfo info = store.write(t, 78, 3);
        assertEquals(new CheckpointInfo(dir.resolve("checkpoint-00000000000000000078-3.ckpt"), 78, 3, 5002,
            Files.size(info.file())), info);
        assertEquals(List.of("checkpoint-00000000000000000078-3.ckpt"), fileNames(), "no temp file left");

        final LoadedCheckpoint loaded = store.loadLatest().orElseThrow();
        assertEquals(info, loaded.info());
        assertEquals(t.digest(), loaded.table().digest());
        assertEquals(entries(t), entries(loaded.table()));
        assertEquals(78, loaded.table().lastAppliedRevision());
        assertEquals(t.size(), loaded.table().size());
        assertEquals(t.approximateSizeBytes(), loaded.table().approximateSizeBytes());
        loaded.table().apply(79, List.of(new Op.Put(new byte[] {1}, new byte[] {2}, false)));
    }

    @Test
    void theFileStartsWithTheDocumentedHeader() throws Exception {
        final Path file = new CheckpointStore(dir).write(table(2, 5), 5, 2).file();
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("DUETCKPT", new String(b.array(), 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(8));
        assertEquals(5, b.getLong(12));
        assertEquals(2, b.getLong(20));
        assertEquals(2, b.getLong(28));
        assertTrue(Math.abs(System.currentTimeMillis() - b.getLong(36)) < 3_600_000, "created at is a time");
        assertEquals("CKPTEND\0", new String(b.array(), b.capacity() - 20, 8, StandardCharsets.US_ASCII));
        assertEquals(2, b.getLong(b.capacity() - 12));
    }

    @Test
    void anEmptyTableRoundTrips() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        final CheckpointInfo info = store.write(new KvTable(), 0, 0);
        assertEquals(48 + 20, info.sizeBytes());
        final LoadedCheckpoint loaded = store.loadLatest().orElseThrow();
        assertEquals(0, loaded.table().size());
        assertEquals(new KvTable().digest(), loaded.table().digest());
    }

    @Test
    void aCheckpointMayBeAtALaterIndexThanTheTablesLastChangeButNotAnEarlierOne() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        final KvTable t = table(10, 4);
        assertThrows(IllegalArgumentException.class, () -> store.write(t, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> store.write(t, 4, -1));
        store.write(t, 9, 1);
        assertEquals(9, store.loadLatest().orElseThrow().table().lastAppliedRevision());
    }

    @Test
    void aFailedWriteLeavesNoTempFileAndPublishesNothing() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        store.write(table(5, 1), 1, 1);
        // A directory where the temp file must go makes the write fail after the temp path is chosen.
        Files.createDirectory(dir.resolve("checkpoint-00000000000000000002-1.ckpt.tmp"));
        assertThrows(IOException.class, () -> store.write(table(5, 2), 2, 1));
        assertEquals(List.of("checkpoint-00000000000000000001-1.ckpt"), fileNames());
    }

    @Test
    void leftoverTempFilesAreDeletedOnOpen() throws Exception {
        Files.write(dir.resolve("checkpoint-00000000000000000005-1.ckpt.tmp"), new byte[100]);
        Files.write(dir.resolve("unrelated.tmp"), new byte[1]);
        new CheckpointStore(dir);
        assertEquals(List.of("unrelated.tmp"), fileNames(), "only checkpoint temp files are ours to delete");
    }

    @Test
    void keepsOnlyTheNewestRetainedCheckpoints() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        for (long i = 1; i <= 5; i++) {
            store.write(table(3, i), i, 1);
        }
        store.write(table(3, 5), 5, 2); // same index, later term: newer
        final List<CheckpointInfo> all = store.list();
        assertEquals(List.of(5L, 5L, 4L), all.stream().map(CheckpointInfo::index).toList());
        assertEquals(List.of(2L, 1L, 1L), all.stream().map(CheckpointInfo::term).toList());
        assertEquals(3, all.get(0).entryCount(), "list reads entry counts from headers");

        final CheckpointStore one = new CheckpointStore(dir, 1);
        one.write(table(3, 6), 6, 2);
        assertEquals(List.of("checkpoint-00000000000000000006-2.ckpt"), fileNames());
        assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(dir, 0));
    }

    @Test
    void listShowsADamagedHeaderAsAnUnknownEntryCount() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        final Path file = store.write(table(3, 1), 1, 1).file();
        CheckpointFiles.flip(file, 30 * 8);
        assertEquals(-1, store.list().get(0).entryCount());
    }

    @Test
    void aDamagedNewestIsAnErrorUnlessFallbackIsAllowed() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        assertFalse(store.loadLatest().isPresent());
        assertFalse(store.loadLatest(true).isPresent());
        final KvTable older = table(10, 1);
        store.write(older, 1, 1);
        final Path newest = store.write(table(20, 2), 2, 1).file();
        final long entryStart = CheckpointFiles.entryOffsets(newest).get(3);
        CheckpointFiles.flip(newest, (entryStart + 12) * 8);

        final CorruptCheckpointException refused = assertThrows(CorruptCheckpointException.class, store::loadLatest);
        assertEquals(newest, refused.file());
        assertEquals(entryStart, refused.offset());
        assertTrue(refused.getMessage().contains("is corrupt at offset " + entryStart + ": entry 3 checksum mismatch"),
            refused.getMessage());
        assertThrows(CorruptCheckpointException.class, () -> store.loadLatest(false));

        final LoadedCheckpoint fallback = store.loadLatest(true).orElseThrow();
        assertEquals(1, fallback.info().index());
        assertEquals(older.digest(), fallback.table().digest());

        CheckpointFiles.flip(store.list().get(1).file(), 0);
        final CorruptCheckpointException none = assertThrows(CorruptCheckpointException.class,
            () -> store.loadLatest(true));
        assertEquals(newest, none.file(), "with none valid, the newest's damage is reported");
        assertEquals(1, none.getSuppressed().length);
    }

    @Test
    void aHeaderThatDisagreesWithTheFileNameIsRefused() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        final Path file = store.write(table(3, 4), 4, 1).file();
        Files.move(file, dir.resolve("checkpoint-00000000000000000009-1.ckpt"));
        final CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, store::loadLatest);
        assertTrue(e.getMessage().contains("the header says index 4 term 1 but the file name says index 9 term 1"),
            e.getMessage());
    }

    @Test
    void aLargeTableRoundTrips() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        final KvTable t = table(200_000, 2);
        store.write(t, 2, 1);
        final KvTable loaded = store.loadLatest().orElseThrow().table();
        assertEquals(t.digest(), loaded.digest());
        assertArrayEquals(t.get("key-0199999".getBytes(StandardCharsets.UTF_8)).value(),
            loaded.get("key-0199999".getBytes(StandardCharsets.UTF_8)).value());
    }
}

package io.duetdb.storage.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.table.Op;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static KvTable table(final int keys, final long revision) {
        final KvTable t = new KvTable();
        final List<Op> ops = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            ops.add(new Op.Put(("key-" + i).getBytes(StandardCharsets.UTF_8),
                ("value-" + i + "-" + "v".repeat(i % 50)).getBytes(StandardCharsets.UTF_8), false));
        }
        t.apply(revision, ops);
        return t;
    }

    @Test
    void roundTripIsExactAndPublishedAtomically() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        final KvTable t = table(5000, 77);
        final CheckpointInfo info = store.write(t, 77, 3);
        assertEquals(5000, info.entryCount());
        final LoadedCheckpoint loaded = store.loadLatest(false).orElseThrow();
        assertEquals(t.digest(), loaded.table().digest());
        assertEquals(77, loaded.info().index());
        assertEquals(3, loaded.info().term());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")));
        }
    }

    @Test
    void keepsOnlyTheNewestThree() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        for (long i = 1; i <= 5; i++) {
            store.write(table(3, i), i, 1);
        }
        final List<CheckpointInfo> all = store.list();
        assertEquals(3, all.size());
        assertEquals(5, all.get(0).index());
        assertEquals(3, all.get(2).index());
    }

    @Test
    void everyHeaderBitFlipAndSampledBodyFlipsAreDetectedWithAnOffset() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        final Path file = store.write(table(200, 9), 9, 1).file();
        final long size = Files.size(file);
        final Random random = new Random(5);
        final List<Long> bits = new ArrayList<>();
        for (long bit = 0; bit < 48 * 8; bit++) {
            bits.add(bit);
        }
        for (int i = 0; i < 400; i++) {
            bits.add(48 * 8 + (long) (random.nextDouble() * (size - 48) * 8));
        }
        for (final long bit : bits) {
            flip(file, bit);
            final CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointStore.load(file), "bit " + bit);
            flip(file, bit);
            assertTrue(e.offset() <= bit / 8 && e.offset() >= 0, "bit " + bit + " reported at " + e.offset());
        }
        assertEquals(200, CheckpointStore.load(file).info().entryCount());
    }

    @Test
    void aZeroedBlockAndTruncationsAreDetected() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        final Path file = store.write(table(2000, 9), 9, 1).file();
        final byte[] original = Files.readAllBytes(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.getChannel().write(ByteBuffer.allocate(4096), 8192);
        }
        final CorruptCheckpointException zeroed = assertThrows(CorruptCheckpointException.class,
            () -> CheckpointStore.load(file));
        assertTrue(zeroed.offset() >= 8192 - 200 && zeroed.offset() <= 8192 + 4096, zeroed.getMessage());
        for (final long length : new long[] {0, 10, 47, 48, 5000, original.length - 21, original.length - 1}) {
            Files.write(file, java.util.Arrays.copyOf(original, (int) length));
            final CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointStore.load(file), "length " + length);
            assertTrue(e.getMessage().contains("truncated") || e.offset() <= length, e.getMessage());
        }
    }

    @Test
    void aDamagedNewestIsAnErrorUnlessFallbackIsAllowed() throws Exception {
        final CheckpointStore store = new CheckpointStore(dir);
        store.write(table(10, 1), 1, 1);
        final Path newest = store.write(table(20, 2), 2, 1).file();
        flip(newest, 60 * 8);
        assertThrows(CorruptCheckpointException.class, () -> store.loadLatest(false));
        final LoadedCheckpoint older = store.loadLatest(true).orElseThrow();
        assertEquals(1, older.info().index());
        assertFalse(new CheckpointStore(dir.resolve("empty")).loadLatest(false).isPresent());
    }

    private static void flip(final Path file, final long bit) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(bit / 8);
            final int b = raf.read();
            raf.seek(bit / 8);
            raf.write(b ^ (1 << (bit % 8)));
        }
    }
}

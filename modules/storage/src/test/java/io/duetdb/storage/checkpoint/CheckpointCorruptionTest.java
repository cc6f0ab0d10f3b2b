package io.duetdb.storage.checkpoint;

import static io.duetdb.storage.checkpoint.CheckpointFiles.flip;
import static io.duetdb.storage.checkpoint.CheckpointFiles.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage of every kind is detected, and reported at the offset of the structure it hit. */
class CheckpointCorruptionTest {
    @TempDir
    Path dir;
    private Path file;
    private byte[] original;
    private List<Long> offsets;
    private long trailer;

    @BeforeEach
    void writeACheckpoint() throws Exception {
        file = new CheckpointStore(dir).write(table(2000, 9), 9, 1).file();
        original = Files.readAllBytes(file);
        offsets = CheckpointFiles.entryOffsets(file);
        trailer = offsets.get(offsets.size() - 1);
        assertEquals(2000, CheckpointStore.load(file).info().entryCount());
    }

    private CorruptCheckpointException refused(final String what) {
        final CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
            () -> CheckpointStore.load(file), what);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith("checkpoint " + file + " is corrupt at offset " + e.offset() + ": "),
            e.getMessage());
        return e;
    }

    @Test
    void everyHeaderBitFlipIsReportedAtTheHeader() throws Exception {
        for (long bit = 0; bit < 48 * 8; bit++) {
            flip(file, bit);
            final CorruptCheckpointException e = refused("bit " + bit);
            flip(file, bit);
            assertEquals(0, e.offset(), "bit " + bit + ": " + e.getMessage());
            assertTrue(e.what().contains(bit < 64 ? "bad magic" : "header (bytes 0-47) checksum mismatch"),
                e.getMessage());
        }
        assertEquals(2000, CheckpointStore.load(file).info().entryCount(), "every flip was undone");
    }

    /**
     * A flip inside an entry is reported at that entry's start; only a flip in a length field that
     * makes the entry run past the file's end is reported as truncation, at the file's length.
     */
    @Test
    void sampledEntryBitFlipsAreReportedAtTheirEntry() throws Exception {
        final Random random = new Random(5);
        for (int i = 0; i < 3000; i++) {
            final long bit = 48 * 8 + (long) (random.nextDouble() * (trailer - 48) * 8);
            final long entry = CheckpointFiles.entryStartOf(offsets, bit / 8);
            flip(file, bit);
            final CorruptCheckpointException e = refused("bit " + bit);
            flip(file, bit);
            if (e.offset() == original.length) {
                assertTrue(bit / 8 < entry + 4 && e.what().contains("truncated"), "bit " + bit + ": " + e.getMessage());
            } else {
                assertEquals(entry, e.offset(), "bit " + bit + ": " + e.getMessage());
            }
        }
    }

    @Test
    void everyTrailerBitFlipIsReportedAtItsField() throws Exception {
        for (long bit = trailer * 8; bit < original.length * 8L; bit++) {
            flip(file, bit);
            final CorruptCheckpointException e = refused("bit " + bit);
            flip(file, bit);
            final long field = bit / 8 < trailer + 8 ? trailer : bit / 8 < trailer + 16 ? trailer + 8 : trailer + 16;
            assertEquals(field, e.offset(), "bit " + bit + ": " + e.getMessage());
        }
    }

    @Test
    void theMessageGivesStoredAndComputedChecksums() throws Exception {
        final long entry = offsets.get(17);
        flip(file, (entry + 20) * 8 + 3);
        final CorruptCheckpointException e = refused("entry 17");
        assertEquals(entry, e.offset());
        assertTrue(e.what().matches("entry 17 checksum mismatch \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\)"),
            e.what());
    }

    @Test
    void zeroedBlocksAreDetected() throws Exception {
        for (final long blockStart : new long[] {0, 4096, 8192, 16384, (original.length - 1) / 4096 * 4096}) {
            Files.write(file, original);
            io.duetdb.storage.testing.FileDamage.zero(file, blockStart, (int) Math.min(4096, original.length - blockStart));
            final CorruptCheckpointException e = refused("block at " + blockStart);
            if (blockStart == 0) {
                assertEquals(0, e.offset(), e.getMessage());
            } else {
                final long entry = CheckpointFiles.entryStartOf(offsets, blockStart);
                assertTrue(e.offset() == entry || e.offset() == original.length && e.what().contains("truncated"),
                    "block at " + blockStart + " (entry at " + entry + "): " + e.getMessage());
            }
        }
    }

    @Test
    void truncationsAreReportedAsTruncatedAtTheFilesLength() throws Exception {
        final long[] lengths = {0, 1, 8, 47, 48, 49, 56, offsets.get(1), offsets.get(1) + 3, offsets.get(1000),
            offsets.get(1000) + 20, trailer, trailer + 8, trailer + 16, original.length - 1};
        for (final long length : lengths) {
            Files.write(file, Arrays.copyOf(original, (int) length));
            final CorruptCheckpointException e = refused("length " + length);
            assertEquals(length, e.offset(), e.getMessage());
            assertTrue(e.what().startsWith("file truncated at " + length + " bytes"), e.getMessage());
        }
    }

    @Test
    void bytesAfterTheTrailerAreRefused() throws Exception {
        Files.write(file, Arrays.copyOf(original, original.length + 3));
        final CorruptCheckpointException e = refused("appended bytes");
        assertEquals(original.length, e.offset());
        assertTrue(e.what().contains("3 unexpected bytes after the trailer"), e.getMessage());
    }

    @Test
    void anEntryWithValidChecksumsButImpossibleContentIsRefused() throws Exception {
        // Rewrite entry 5 with a modRevision above the checkpoint index and fix up both checksums.
        final ByteBuffer b = ByteBuffer.wrap(original.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final int entry = (int) (long) offsets.get(5);
        final int bodyLength = b.getInt(entry);
        b.putLong(entry + 8 + bodyLength - 16, 10);
        b.putInt(entry + 4, crc(b.array(), entry + 8, bodyLength));
        b.putInt(original.length - 4, crc(b.array(), 0, original.length - 4));
        Files.write(file, b.array());
        final CorruptCheckpointException e = refused("modRevision");
        assertEquals(entry, e.offset());
        assertTrue(e.what().contains("entry 5 has modRevision 10, above the checkpoint index 9"), e.getMessage());
    }

    private static int crc(final byte[] data, final int offset, final int length) {
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}

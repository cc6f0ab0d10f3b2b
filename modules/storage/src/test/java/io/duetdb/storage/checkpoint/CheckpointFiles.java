package io.duetdb.storage.checkpoint;

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

/** Test helpers: tables to checkpoint, an independent walk of a file's layout, bit flips. */
final class CheckpointFiles {
    private CheckpointFiles() {
    }

    /** {@code keys} keys with values of varied length, applied in two batches ending at {@code revision}. */
    static KvTable table(final int keys, final long revision) {
        final KvTable t = new KvTable();
        final List<Op> first = new ArrayList<>();
        final List<Op> second = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            final byte[] key = String.format("key-%07d", i).getBytes(StandardCharsets.UTF_8);
            final byte[] value = ("value-" + i + "-" + "v".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
            (i % 3 == 0 && revision > 1 ? second : first).add(new Op.Put(key, value, false));
        }
        if (revision > 1) {
            t.apply(revision - 1, first);
            t.apply(revision, second);
        } else {
            t.apply(revision, first);
        }
        return t;
    }

    /** Offsets of every entry, then of the trailer, found by walking the length fields. */
    static List<Long> entryOffsets(final Path file) throws IOException {
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        final long count = b.getLong(28);
        final List<Long> offsets = new ArrayList<>();
        long at = 48;
        for (long e = 0; e < count; e++) {
            offsets.add(at);
            at += 8 + Integer.toUnsignedLong(b.getInt((int) at));
        }
        offsets.add(at);
        if (at + 20 != b.capacity()) {
            throw new IllegalStateException("walk ended at " + at + ", file is " + b.capacity());
        }
        return offsets;
    }

    /** The start of the entry holding byte {@code offset} (the trailer's start for trailer bytes). */
    static long entryStartOf(final List<Long> offsets, final long offset) {
        long start = offsets.get(0);
        for (final long o : offsets) {
            if (o <= offset) {
                start = o;
            }
        }
        return start;
    }

    static void flip(final Path file, final long bit) throws IOException {
        io.duetdb.storage.testing.FileDamage.flipBit(file, bit);
    }
}

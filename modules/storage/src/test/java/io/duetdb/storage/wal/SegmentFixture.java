package io.duetdb.storage.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Writes small logs and locates their records on disk, for corruption tests. */
final class SegmentFixture {
    /** One record's place on disk. */
    record Placed(Path file, int offset, int length, long index) {
    }

    private SegmentFixture() {
    }

    static RecordType recordType(final WalKind kind) {
        return kind == WalKind.INTENT ? RecordType.INTENT : RecordType.COMPLETION;
    }

    /** Writes records 1..count with bodies of the given sizes (cycled) and closes the log. */
    static void write(final Path dir, final WalKind kind, final WalOptions options, final String backend,
                      final int count, final int... bodySizes) throws Exception {
        try (Wal wal = Wal.open(dir, kind, options, TestBackends.create(backend, kind.dirName()), 1)) {
            long end = 0;
            for (int i = 1; i <= count; i++) {
                end = wal.append(recordType(kind), 0, 3, i, TestBackends.body(i, bodySizes[i % bodySizes.length]));
            }
            wal.whenDurable(end).get(60, TimeUnit.SECONDS);
        }
    }

    /** Where every valid record is, by a read-only scan. */
    static List<Placed> placements(final Path dir, final WalKind kind, final int maxBody) throws IOException {
        final List<Placed> placed = new ArrayList<>();
        WalScanner.scan(dir, kind, maxBody,
            (file, offset, type, flags, term, index, body, length) ->
                placed.add(new Placed(file, offset, length, index)));
        return placed;
    }

    static ScanReport scan(final Path dir, final WalKind kind, final int maxBody) throws IOException {
        return WalScanner.scan(dir, kind, maxBody, null);
    }

    static void flipBit(final Path file, final long bitPosition) throws IOException {
        io.duetdb.storage.testing.FileDamage.flipBit(file, bitPosition);
    }

    static void zero(final Path file, final long offset, final int length) throws IOException {
        io.duetdb.storage.testing.FileDamage.zero(file, offset, length);
    }

    static void truncate(final Path file, final long length) throws IOException {
        io.duetdb.storage.testing.FileDamage.truncate(file, length);
    }
}

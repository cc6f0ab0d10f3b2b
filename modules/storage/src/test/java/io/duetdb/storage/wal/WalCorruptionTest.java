package io.duetdb.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Damage of every kind is found, with its file, offset and (where knowable) index. */
class WalCorruptionTest {
    private static final WalOptions OPTIONS =
        new WalOptions(64 * 1024, 64 * 1024, 8 * 1024, SyncPolicy.EVERY_WRITE);
    private static final int MAX_BODY = OPTIONS.maxBodyBytes();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(WalKind.class)
    void everySingleBitFlipInARecordIsDetectedWithItsLocation(final WalKind kind) throws Exception {
        SegmentFixture.write(dir, kind, OPTIONS, "filechannel", 3, 21);
        final List<SegmentFixture.Placed> placed = SegmentFixture.placements(dir, kind, MAX_BODY);
        assertEquals(3, placed.size());
        final SegmentFixture.Placed target = placed.get(1); // a record with a valid one after it
        final long firstBit = target.offset() * 8L;
        final long bits = target.length() * 8L;
        for (long bit = firstBit; bit < firstBit + bits; bit++) {
            SegmentFixture.flipBit(target.file(), bit);
            final ScanReport report = SegmentFixture.scan(dir, kind, MAX_BODY);
            SegmentFixture.flipBit(target.file(), bit); // restore
            final String where = "bit " + (bit - firstBit) + " of record 2";
            assertEquals(1, report.corruptions().size(), where + ": " + report.corruptions());
            final ScanReport.Corruption c = report.corruptions().get(0);
            assertEquals(target.offset(), c.offset(), where);
            assertEquals(target.file(), c.file(), where);
            assertTrue(c.index() == 2 || (c.index() == -1 && c.indexAfter() == 1), where + ": " + c);
            assertEquals(2, report.validRecords(), where);
            assertNull(report.tornTail(), where);
        }
        assertTrue(SegmentFixture.scan(dir, kind, MAX_BODY).clean());
    }

    @ParameterizedTest
    @EnumSource(WalKind.class)
    void aZeroedBlockBetweenRecordsIsCorruptionNotAnEnd(final WalKind kind) throws Exception {
        SegmentFixture.write(dir, kind, OPTIONS, "io_uring", 150, 200, 33, 90);
        final List<SegmentFixture.Placed> placed = SegmentFixture.placements(dir, kind, MAX_BODY);
        final Path file = placed.get(0).file();
        SegmentFixture.zero(file, 8192, 4096);
        final ScanReport report = SegmentFixture.scan(dir, kind, MAX_BODY);
        assertTrue(!report.corruptions().isEmpty(), "the zeroed block must be reported");
        for (final ScanReport.Corruption c : report.corruptions()) {
            // Each reported region touches the block: the record it cut into, or the zeros.
            assertEquals(file, c.file());
            assertTrue(c.offset() <= 8192 + 4096 && c.offset() + Math.max(c.lengthBytes(), 1) >= 8192, c.toString());
        }
        final long damaged = placed.stream()
            .filter(p -> p.offset() + p.length() > 8192 && p.offset() < 8192 + 4096).count();
        assertEquals(placed.size() - damaged, report.validRecords());
        assertEquals(150, report.lastIndex(), "records after the block are still recovered");
        assertNull(report.tornTail());
    }

    @ParameterizedTest
    @EnumSource(WalKind.class)
    void aTruncatedSegmentIsReportedAtTheCut(final WalKind kind) throws Exception {
        SegmentFixture.write(dir, kind, OPTIONS, "filechannel", 100, 150);
        final List<SegmentFixture.Placed> placed = SegmentFixture.placements(dir, kind, MAX_BODY);
        final Path file = placed.get(0).file();
        final SegmentFixture.Placed cutInside = placed.get(60);
        SegmentFixture.truncate(file, cutInside.offset() + 10);
        final ScanReport report = SegmentFixture.scan(dir, kind, MAX_BODY);
        assertTrue(report.corruptions().stream().anyMatch(c -> c.offset() == cutInside.offset() + 10
            && c.reason().contains("truncated")), report.corruptions()::toString);
        assertEquals(60, report.validRecords(), "the records before the cut survive");
        assertEquals(60, report.lastIndex());
        assertNull(report.tornTail());
    }

    @ParameterizedTest
    @EnumSource(WalKind.class)
    void aMissingSegmentIsReported(final WalKind kind) throws Exception {
        SegmentFixture.write(dir, kind, OPTIONS, "io_uring", 900, 200);
        final List<Path> files = WalScanner.segmentFiles(dir);
        assertTrue(files.size() >= 3, "segments: " + files);
        Files.delete(files.get(1));
        final ScanReport report = SegmentFixture.scan(dir, kind, MAX_BODY);
        assertTrue(report.corruptions().stream().anyMatch(c -> c.reason().contains("missing")),
            report.corruptions()::toString);
    }

    @ParameterizedTest
    @EnumSource(WalKind.class)
    void aTornTailIsCutAndTheLogGoesOn(final WalKind kind) throws Exception {
        SegmentFixture.write(dir, kind, OPTIONS, "io_uring", 40, 1500);
        final List<SegmentFixture.Placed> placed = SegmentFixture.placements(dir, kind, MAX_BODY);
        final SegmentFixture.Placed last = placed.get(placed.size() - 1);
        // A write that stopped at a sector boundary inside the last record.
        final long boundary = (last.offset() / 512 + 1) * 512L;
        SegmentFixture.zero(last.file(), boundary, (int) (last.offset() + last.length() - boundary));
        try (Wal wal = Wal.open(dir, kind, OPTIONS, TestBackends.create("io_uring", kind.dirName()), 1)) {
            final ScanReport report = wal.scanReport();
            assertTrue(report.clean(), report.corruptions()::toString);
            assertNotNull(report.tornTail());
            assertEquals(last.offset(), report.tornTail().offset());
            assertEquals(39, wal.lastIndex());
            wal.whenDurable(wal.append(SegmentFixture.recordType(kind), 0, 3, 40, TestBackends.body(40, 64)))
                .get(30, TimeUnit.SECONDS);
        }
        final ScanReport after = SegmentFixture.scan(dir, kind, MAX_BODY);
        assertTrue(after.clean(), after.corruptions()::toString);
        assertNull(after.tornTail(), "the cut was made durable");
        assertEquals(40, after.lastIndex());
    }

    @ParameterizedTest
    @EnumSource(WalKind.class)
    void aBitFlipInTheFullyWrittenLastRecordIsCorruptionNotATornTail(final WalKind kind) throws Exception {
        SegmentFixture.write(dir, kind, OPTIONS, "filechannel", 10, 100);
        final List<SegmentFixture.Placed> placed = SegmentFixture.placements(dir, kind, MAX_BODY);
        final SegmentFixture.Placed last = placed.get(placed.size() - 1);
        SegmentFixture.flipBit(last.file(), (last.offset() + 40) * 8L + 3);
        try (Wal wal = Wal.open(dir, kind, OPTIONS, TestBackends.create("filechannel", kind.dirName()), 1)) {
            final ScanReport report = wal.scanReport();
            assertNull(report.tornTail());
            assertEquals(1, report.corruptions().size());
            assertEquals(10, report.corruptions().get(0).index());
            // Appends continue in a fresh segment; the damaged record stays for inspection or repair.
            wal.whenDurable(wal.append(SegmentFixture.recordType(kind), 0, 3, 11, TestBackends.body(11, 5)))
                .get(30, TimeUnit.SECONDS);
        }
        final ScanReport after = SegmentFixture.scan(dir, kind, MAX_BODY);
        assertEquals(1, after.corruptions().size(), "still reported, never cut in silence");
        assertEquals(11, after.lastIndex());
    }
}

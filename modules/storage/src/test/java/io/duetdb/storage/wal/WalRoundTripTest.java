package io.duetdb.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "filechannel"})
    void recordsSurviveReopenAcrossManySegments(final String backend) throws Exception {
        final int count = 3000; // ~1.2 MB of records: several 256 KiB segments
        final List<CompletableFuture<Void>> durable = new ArrayList<>();
        try (Wal wal = TestBackends.open(dir, backend)) {
            assertEquals(backend, wal.backendName());
            for (long i = 1; i <= count; i++) {
                final long end = wal.append(RecordType.INTENT, 0, 7, i, TestBackends.body(i, (int) (i % 700)));
                durable.add(wal.whenDurable(end));
            }
            CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            final WalRecord r = wal.read(1234, 7).get(30, TimeUnit.SECONDS);
            assertArrayEquals(TestBackends.bodyBytes(1234, 1234 % 700), r.body());
        }
        try (Wal wal = TestBackends.open(dir, backend)) {
            final ScanReport report = wal.scanReport();
            assertTrue(report.clean(), report.corruptions()::toString);
            assertEquals(null, report.tornTail());
            assertEquals(count, report.validRecords());
            assertEquals(1, report.firstIndex());
            assertEquals(count, report.lastIndex());
            assertTrue(report.segments().size() > 3, "expected several segments, got " + report.segments().size());
            for (long i = 1; i <= count; i += 97) {
                final WalRecord r = wal.read(i, 7).get(30, TimeUnit.SECONDS);
                assertEquals(i, r.index());
                assertArrayEquals(TestBackends.bodyBytes(i, (int) (i % 700)), r.body());
            }
            final ExecutionException wrongTerm = assertThrows(ExecutionException.class,
                () -> wal.read(5, 8).get(30, TimeUnit.SECONDS));
            assertTrue(wrongTerm.getCause() instanceof CorruptRecordException, wrongTerm.toString());
            // Appends continue after the recovered tail.
            wal.whenDurable(wal.append(RecordType.INTENT, 0, 8, count + 1, TestBackends.body(count + 1, 10)))
                .get(30, TimeUnit.SECONDS);
        }
        try (Wal wal = TestBackends.open(dir, backend)) {
            assertEquals(count + 1, wal.lastIndex());
            assertEquals(8, wal.termOf(count + 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "filechannel"})
    void theSyncListenerHearsEveryFsyncEvenWhenItThrows(final String backend) throws Exception {
        final List<Long> durationsNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        final SyncListener listener = nanos -> {
            durationsNanos.add(nanos);
            throw new IllegalStateException("a broken metric must not fail the log");
        };
        try (Wal wal = TestBackends.open(dir, backend, TestBackends.SMALL.withSyncListener(listener))) {
            for (long i = 1; i <= 50; i++) {
                wal.whenDurable(wal.append(RecordType.INTENT, 0, 1, i, TestBackends.body(i, 100)))
                    .get(30, TimeUnit.SECONDS);
            }
            final WalStats stats = wal.stats();
            assertTrue(stats.syncs() >= 50, "syncs " + stats.syncs());
            assertEquals(stats.syncs(), durationsNanos.size());
            assertEquals(stats.syncNanosTotal(), durationsNanos.stream().mapToLong(Long::longValue).sum());
            assertTrue(durationsNanos.stream().allMatch(n -> n > 0), durationsNanos::toString);
            assertTrue(!stats.failed());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "filechannel"})
    void truncationDropsTheSuffixDurably(final String backend) throws Exception {
        try (Wal wal = TestBackends.open(dir, backend)) {
            for (long i = 1; i <= 20; i++) {
                wal.append(RecordType.INTENT, 0, 1, i, TestBackends.body(i, 100));
            }
            wal.whenDurable(wal.append(RecordType.TRUNCATE, 0, 1, 15, TestBackends.body(0, 0))).get(30, TimeUnit.SECONDS);
            assertEquals(15, wal.lastIndex());
            assertTrue(!wal.contains(16));
            wal.whenDurable(wal.append(RecordType.INTENT, 0, 2, 16, TestBackends.body(1016, 50))).get(30, TimeUnit.SECONDS);
        }
        try (Wal wal = TestBackends.open(dir, backend)) {
            assertTrue(wal.scanReport().clean(), wal.scanReport().corruptions()::toString);
            assertEquals(16, wal.lastIndex());
            assertEquals(2, wal.termOf(16));
            assertEquals(-1, wal.termOf(17));
            assertArrayEquals(TestBackends.bodyBytes(1016, 50), wal.read(16, 2).get(30, TimeUnit.SECONDS).body());
            assertArrayEquals(TestBackends.bodyBytes(15, 100), wal.read(15, 1).get(30, TimeUnit.SECONDS).body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "filechannel"})
    void recycleDeletesOnlyCoveredSegments(final String backend) throws Exception {
        try (Wal wal = TestBackends.open(dir, backend)) {
            long end = 0;
            for (long i = 1; i <= 2000; i++) {
                end = wal.append(RecordType.INTENT, 0, 1, i, TestBackends.body(i, 500));
            }
            wal.whenDurable(end).get(60, TimeUnit.SECONDS);
            final int before = WalScanner.segmentFiles(dir).size();
            final int deleted = wal.recycleThrough(1000);
            assertTrue(deleted > 0 && deleted < before, "deleted " + deleted + " of " + before);
            assertTrue(wal.firstIndex() <= 1001, "first index " + wal.firstIndex());
            assertTrue(wal.firstIndex() > 1, "first index " + wal.firstIndex());
            assertThrows(ExecutionException.class, () -> wal.read(1, 1).get(30, TimeUnit.SECONDS));
            assertEquals(1500, wal.read(1500, 1).get(30, TimeUnit.SECONDS).index());
        }
        try (Wal wal = TestBackends.open(dir, backend)) {
            assertTrue(wal.scanReport().clean(), wal.scanReport().corruptions()::toString);
            assertTrue(wal.firstIndex() <= 1001 && wal.firstIndex() > 1);
            assertEquals(2000, wal.lastIndex());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "filechannel"})
    void outOfOrderAndOversizedAppendsAreRefused(final String backend) throws Exception {
        try (Wal wal = TestBackends.open(dir, backend)) {
            wal.append(RecordType.INTENT, 0, 1, 5, TestBackends.body(5, 10));
            assertThrows(IllegalArgumentException.class,
                () -> wal.append(RecordType.INTENT, 0, 1, 5, TestBackends.body(5, 10)));
            final RecordTooLargeException tooLarge = assertThrows(RecordTooLargeException.class,
                () -> wal.append(RecordType.INTENT, 0, 1, 6, TestBackends.body(6, 8 * 1024 + 1)));
            assertTrue(tooLarge.getMessage().contains("8192"), tooLarge.getMessage());
            assertThrows(IllegalArgumentException.class,
                () -> wal.append(RecordType.COMPLETION, 0, 1, 6, TestBackends.body(6, 10)));
        }
    }
}

package io.duetdb.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When an {@link SyncPolicy#ON_DEMAND} log (the completion log) writes: not on every append, but
 * when asked, when a quarter of its ring waits, or after its linger time; and nothing is lost.
 */
class WalLazyWriteTest {
    private static final long ONE_HOUR_MS = 3_600_000;
    private static final WalOptions LAZY = new WalOptions(256 * 1024, 64 * 1024, 8 * 1024, SyncPolicy.ON_DEMAND);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "filechannel"})
    void appendsWaitUntilSomeoneAsksThenOneWriteTakesThemAll(final String backend) throws Exception {
        try (Wal wal = TestBackends.open(dir, backend, LAZY.withLazyWriteLingerMs(ONE_HOUR_MS))) {
            long end = 0;
            for (long i = 1; i <= 100; i++) {
                end = wal.append(RecordType.INTENT, 0, 1, i, TestBackends.body(i, 40));
            }
            // 100 records of 72 bytes are a ninth of the ring: no write yet (the intent log's
            // policy would have written at the first append).
            assertEquals(0, wal.stats().writes(), "writes before anyone asked");
            assertTrue(wal.stats().queuedBytes() > 0);
            wal.whenWritten(end).get(30, TimeUnit.SECONDS);
            assertEquals(1, wal.stats().writes(), "one write for the 100 records");
            assertEquals(0, wal.stats().queuedBytes());
        }
        try (Wal wal = TestBackends.open(dir, backend, LAZY)) {
            assertEquals(100, wal.scanReport().validRecords());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "filechannel"})
    void aQuarterOfTheRingUnwrittenStartsAWrite(final String backend) throws Exception {
        try (Wal wal = TestBackends.open(dir, backend, LAZY.withLazyWriteLingerMs(ONE_HOUR_MS))) {
            final int bodyBytes = 1000;
            final int records = 64 * 1024 / 4 / RecordDescriptor.recordLength(bodyBytes) + 1;
            for (long i = 1; i <= records; i++) {
                wal.append(RecordType.INTENT, 0, 1, i, TestBackends.body(i, bodyBytes));
            }
            assertTrue(wal.stats().writes() >= 1, "a quarter of the ring waited and nothing was written");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "filechannel"})
    void recordsNobodyAsksForAreWrittenAfterTheLinger(final String backend) throws Exception {
        try (Wal wal = TestBackends.open(dir, backend, LAZY)) {
            for (long i = 1; i <= 10; i++) {
                wal.append(RecordType.INTENT, 0, 1, i, TestBackends.body(i, 40));
            }
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (wal.stats().queuedBytes() > 0 && System.nanoTime() < deadlineNs) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling a condition
            }
            assertEquals(0, wal.stats().queuedBytes(), "records still unwritten 30 s after the append");
            assertTrue(wal.stats().writes() >= 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "filechannel"})
    void closeWritesWhatLingers(final String backend) throws Exception {
        try (Wal wal = TestBackends.open(dir, backend, LAZY.withLazyWriteLingerMs(ONE_HOUR_MS))) {
            for (long i = 1; i <= 7; i++) {
                wal.append(RecordType.INTENT, 0, 1, i, TestBackends.body(i, 40));
            }
        }
        try (Wal wal = TestBackends.open(dir, backend, LAZY)) {
            assertEquals(7, wal.scanReport().validRecords());
            assertEquals(7, wal.lastIndex());
        }
    }
}

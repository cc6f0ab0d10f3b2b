package io.duetdb.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.params.provider.CsvSource;

/** A failing write or fsync fails the log for good, and every waiting append with it. */
class WalFaultInjectionTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: fail write #{1}, fsync #{2}")
    @CsvSource({"io_uring, 3, 0", "io_uring, 0, 3", "filechannel, 3, 0", "filechannel, 0, 3"})
    void anIoErrorFailsTheLogAndEveryWaiterWithoutRetry(final String backend, final int failWrite,
                                                        final int failSync) throws Exception {
        final FaultyBackend faulty = new FaultyBackend(TestBackends.create(backend, "intent"), failWrite, failSync);
        try (Wal wal = Wal.open(dir, WalKind.INTENT, TestBackends.SMALL, faulty, 1)) {
            final List<CompletableFuture<Void>> acks = new ArrayList<>();
            int failedAcks = 0;
            long index = 1;
            // Keep appending until the injected fault hits; it must within a bounded number of ops.
            while (wal.failure() == null && index < 10_000) {
                final long end;
                try {
                    end = wal.append(RecordType.INTENT, 0, 1, index, TestBackends.body(index, 100));
                } catch (final LogFailedException e) {
                    break; // the fault hit between the check and this append: the log refuses, as it must
                }
                acks.add(wal.whenDurable(end));
                if (index % 8 == 0) {
                    try {
                        acks.get(acks.size() - 1).get(30, TimeUnit.SECONDS);
                    } catch (final ExecutionException e) {
                        break;
                    }
                }
                index++;
            }
            for (final CompletableFuture<Void> ack : acks) {
                try {
                    ack.get(30, TimeUnit.SECONDS);
                } catch (final ExecutionException e) {
                    assertTrue(e.getCause() instanceof LogFailedException, e.toString());
                    failedAcks++;
                }
            }
            assertNotNull(wal.failure(), "the log must report its failure");
            assertTrue(wal.failure().getMessage().contains("injected"), wal.failure().getMessage());
            assertTrue(failedAcks > 0, "the appends waiting on the failed I/O must fail");
            assertTrue(wal.stats().failed());
            final int syncsAtFailure = faulty.syncs.get();
            final long next = index + 1;
            assertThrows(LogFailedException.class,
                () -> wal.append(RecordType.INTENT, 0, 1, next, TestBackends.body(next, 10)));
            final ExecutionException late = assertThrows(ExecutionException.class,
                () -> wal.syncThrough(next).get(30, TimeUnit.SECONDS));
            assertTrue(late.getCause() instanceof LogFailedException, late.toString());
            assertEquals(syncsAtFailure, faulty.syncs.get(), "an fsync is never retried after a failure");
        }
    }
}

package io.duetdb.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.io.IoBackend;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repair records replace damaged or missing intents, also across a reopen. */
class WalRepairTest {
    private static final WalOptions OPTIONS = new WalOptions(64 * 1024, 64 * 1024, 8 * 1024, SyncPolicy.EVERY_WRITE);

    @TempDir
    Path dir;

    private IntentLog open() throws Exception {
        final IoBackend backend = TestBackends.create("filechannel", "intent");
        return IntentLog.open(dir, OPTIONS, backend, 1);
    }

    private static byte[] payload(final long index) {
        final ByteBuffer b = TestBackends.body(index, 300);
        final byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private void writeIntents(final int count) throws Exception {
        try (IntentLog log = open()) {
            for (int i = 1; i <= count; i++) {
                log.append(7, i, new byte[] {(byte) i}, ByteBuffer.wrap(payload(i)));
            }
            log.syncThrough(count).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCorruptIntentIsReplacedAndTheRepairSurvivesAReopen() throws Exception {
        writeIntents(20);
        final SegmentFixture.Placed fifth = SegmentFixture.placements(dir, WalKind.INTENT, OPTIONS.maxBodyBytes())
            .stream().filter(p -> p.index() == 5).findFirst().orElseThrow();
        SegmentFixture.flipBit(fifth.file(), (fifth.offset() + 40) * 8L);
        try (IntentLog log = open()) {
            assertFalse(log.contains(5), "a corrupt intent is not served");
            assertEquals(20, log.lastIndex());
            log.appendRepair(7, 5, new byte[] {5}, ByteBuffer.wrap(payload(5))).get(30, TimeUnit.SECONDS);
            assertArrayEquals(payload(5), log.read(7, 5).get(30, TimeUnit.SECONDS).payload());
            assertEquals(20, log.lastIndex(), "a repair does not move the end of the log");
            log.append(7, 21, new byte[] {21}, ByteBuffer.wrap(payload(21))).get(30, TimeUnit.SECONDS);
        }
        try (IntentLog log = open()) {
            assertArrayEquals(payload(5), log.read(7, 5).get(30, TimeUnit.SECONDS).payload());
            assertArrayEquals(payload(21), log.read(7, 21).get(30, TimeUnit.SECONDS).payload());
            assertEquals(21, log.lastIndex());
        }
    }

    @Test
    void intentsOfADeletedFirstSegmentCanBeRepairedBelowTheFirstIndex() throws Exception {
        writeIntents(600); // several 64 KiB segments
        final List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
        }
        assertTrue(files.size() >= 3, "need several segments: " + files);
        Files.delete(files.get(0));
        final long first;
        try (IntentLog log = open()) {
            first = log.firstIndex();
            assertTrue(first > 1, "the first segment's intents are gone: first index " + first);
            for (long i = 1; i < first; i++) {
                log.appendRepair(7, i, new byte[] {(byte) i}, ByteBuffer.wrap(payload(i))).get(30, TimeUnit.SECONDS);
            }
        }
        try (IntentLog log = open()) {
            assertEquals(1, log.firstIndex());
            for (long i = 1; i <= 600; i++) {
                assertArrayEquals(payload(i), log.read(7, i).get(30, TimeUnit.SECONDS).payload(), "intent " + i);
            }
        }
    }

    @Test
    void aRepairAboveTheEndExtendsTheLog() throws Exception {
        writeIntents(3);
        try (IntentLog log = open()) {
            log.appendRepair(7, 6, new byte[] {6}, ByteBuffer.wrap(payload(6))).get(30, TimeUnit.SECONDS);
            assertEquals(6, log.lastIndex());
            assertThrows(IllegalArgumentException.class,
                () -> log.append(7, 5, new byte[0], ByteBuffer.wrap(payload(5))), "appends stay in order");
        }
        try (IntentLog log = open()) {
            assertArrayEquals(payload(6), log.read(7, 6).get(30, TimeUnit.SECONDS).payload());
            assertFalse(log.contains(5));
        }
    }
}

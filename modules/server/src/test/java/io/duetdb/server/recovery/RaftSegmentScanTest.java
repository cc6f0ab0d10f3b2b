package io.duetdb.server.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftSegmentScanTest {
    @TempDir
    Path dir;

    @Test
    void aGoodClosedAndOpenSegmentVerify() throws IOException {
        final RaftSegmentScan closed = RaftSegmentScan.scan(RaftSegmentFiles.closed(dir, 0, 99, 2));
        assertTrue(closed.damage().isEmpty(), closed.toString());
        assertEquals(99, closed.lastGoodIndex());
        assertEquals(2, closed.lastGoodTerm());
        final RaftSegmentScan open = RaftSegmentScan.scan(RaftSegmentFiles.open(dir, 100, 150, 3));
        assertTrue(open.open());
        assertTrue(open.damage().isEmpty(), open.toString());
        assertEquals(150, open.lastGoodIndex());
    }

    @Test
    void everyFlippedBitOfAnEntryIsFoundAtThatEntry() throws IOException {
        final byte[] good = RaftSegmentFiles.segment(10, 14, 1, 0);
        final int entryBytes = RaftSegmentFiles.entry(12, 1).length;
        final int third = RaftSegmentScan.HEADER.length + 2 * entryBytes; // entries are the same size here
        for (int offset = third; offset < third + entryBytes; offset++) {
            for (int bit = 0; bit < 8; bit++) {
                final byte[] bad = good.clone();
                bad[offset] ^= (byte) (1 << bit);
                final RaftSegmentScan scan = RaftSegmentScan.scan(dir.resolve("log_10-14"), 10, 14, bad);
                assertTrue(scan.damage().isPresent(), "offset " + offset + " bit " + bit);
                assertEquals(11, scan.lastGoodIndex(), "offset " + offset + " bit " + bit);
                assertEquals(12, scan.damage().get().index());
            }
        }
    }

    @Test
    void aZeroedBlockATruncationAndABadHeaderAreFound() throws IOException {
        final byte[] good = RaftSegmentFiles.segment(0, 999, 1, 0);
        final byte[] zeroed = good.clone();
        Arrays.fill(zeroed, 4096, 8192, (byte) 0);
        final RaftSegmentScan z = RaftSegmentScan.scan(dir.resolve("log_0-999"), 0, 999, zeroed);
        assertTrue(z.damage().isPresent());
        assertTrue(z.lastGoodIndex() < 999 && z.lastGoodIndex() > 0, z.toString());

        final byte[] cut = Arrays.copyOf(good, good.length / 2);
        final RaftSegmentScan c = RaftSegmentScan.scan(dir.resolve("log_0-999"), 0, 999, cut);
        assertTrue(c.damage().isPresent());
        assertEquals(c.lastGoodIndex() + 1, c.damage().get().index());

        final byte[] header = good.clone();
        header[3] ^= 1;
        final RaftSegmentScan h = RaftSegmentScan.scan(dir.resolve("log_0-999"), 0, 999, header);
        assertEquals(0, h.damage().get().offset());
        assertEquals(-1, h.lastGoodIndex());
    }

    @Test
    void aClosedSegmentCutAtAnEntryBoundaryDisagreesWithItsName() throws IOException {
        final byte[] shorter = RaftSegmentFiles.segment(0, 49, 1, 0);
        final RaftSegmentScan scan = RaftSegmentScan.scan(dir.resolve("log_0-99"), 0, 99, shorter);
        assertEquals(49, scan.lastGoodIndex());
        assertEquals(50, scan.damage().get().index());
    }

    @Test
    void anOpenSegmentMayBeEmptyButNotGarbledAfterItsPadding() throws IOException {
        final RaftSegmentScan empty = RaftSegmentScan.scan(
            Files.write(dir.resolve("log_inprogress_7"), new byte[4096]));
        assertTrue(empty.damage().isEmpty());
        assertEquals(6, empty.lastGoodIndex());
        final byte[] garbled = RaftSegmentFiles.segment(7, 9, 1, 4096);
        garbled[garbled.length - 100] = 5;
        final RaftSegmentScan g = RaftSegmentScan.scan(dir.resolve("log_inprogress_7"), 7, -1, garbled);
        assertEquals(9, g.lastGoodIndex());
        assertEquals(10, g.damage().get().index());
        assertFalse(RaftSegmentScan.isSegmentName("raft-meta"));
    }
}

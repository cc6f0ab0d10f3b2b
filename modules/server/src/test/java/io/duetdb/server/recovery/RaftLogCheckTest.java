package io.duetdb.server.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision table of {@link RaftLogCheck}, one test per row (docs/recovery.md#raft-log). */
class RaftLogCheckTest {
    @TempDir
    Path dir;

    private RaftLogCheck.Verdict decide(final long snapshot, final long completionLast, final RaftLogCheck.MetaState meta,
                                        final long metaTerm) throws IOException {
        return decide(snapshot, snapshot >= 0 ? 1 : -1, completionLast, meta, metaTerm);
    }

    private RaftLogCheck.Verdict decide(final long snapshot, final long snapshotTerm, final long completionLast,
                                        final RaftLogCheck.MetaState meta, final long metaTerm) throws IOException {
        final List<RaftSegmentScan> scans = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (final Path f : files.filter(p -> RaftSegmentScan.isSegmentName(p.getFileName().toString())).toList()) {
                scans.add(RaftSegmentScan.scan(f));
            }
        }
        return RaftLogCheck.decide(new RaftLogCheck.Inputs(scans, snapshot, snapshotTerm, completionLast, meta, metaTerm,
            dir.resolve("raft-meta")));
    }

    private RaftLogCheck.Verdict decide(final long snapshot, final long completionLast) throws IOException {
        return decide(snapshot, completionLast, RaftLogCheck.MetaState.PRESENT, 3);
    }

    private void corrupt(final Path file, final int offset) throws IOException {
        final byte[] b = Files.readAllBytes(file);
        b[offset] ^= 0x10;
        Files.write(file, b);
    }

    @Test
    void aHealthyLogIsLeftAlone() throws IOException {
        RaftSegmentFiles.closed(dir, 0, 99, 2);
        RaftSegmentFiles.open(dir, 100, 150, 3);
        final RaftLogCheck.Verdict v = decide(80, 150);
        assertTrue(v.clean(), v.toString());
        assertEquals(150, v.logLastIndex());
    }

    @Test
    void damageAboveTheSnapshotSetsAsideThatSegmentAndLaterOnesAndClosesTheGuard() throws IOException {
        RaftSegmentFiles.closed(dir, 0, 99, 2);
        final Path middle = RaftSegmentFiles.closed(dir, 100, 199, 2);
        final Path open = RaftSegmentFiles.open(dir, 200, 250, 3);
        corrupt(middle, 500);
        final RaftLogCheck.Verdict v = decide(80, 150);
        assertEquals(List.of(middle, open), v.setAside());
        assertEquals(99, v.logLastIndex());
        assertTrue(v.voteGuardReason().contains("from index 100"), v.voteGuardReason());
        assertTrue(v.findings().get(0).contains(middle.toString()), v.findings().toString());
    }

    @Test
    void damageWhollyBelowTheSnapshotSetsAsideOnlyWhatTheSnapshotCovers() throws IOException {
        final Path old = RaftSegmentFiles.closed(dir, 0, 99, 2);
        RaftSegmentFiles.closed(dir, 100, 199, 2);
        RaftSegmentFiles.open(dir, 200, 250, 3);
        corrupt(old, 300);
        final RaftLogCheck.Verdict v = decide(150, 250);
        assertEquals(List.of(old), v.setAside());
        assertNull(v.voteGuardReason());
        assertEquals(250, v.logLastIndex());
    }

    @Test
    void aGapBetweenSegmentsCutsTheLogThere() throws IOException {
        RaftSegmentFiles.closed(dir, 0, 99, 2);
        final Path after = RaftSegmentFiles.open(dir, 200, 299, 3);
        final RaftLogCheck.Verdict v = decide(50, 99);
        assertEquals(List.of(after), v.setAside());
        assertTrue(v.voteGuardReason().contains("from index 100"), v.voteGuardReason());
    }

    @Test
    void aLogEndingBelowTheSnapshotIsSetAsideWhole() throws IOException {
        final Path a = RaftSegmentFiles.closed(dir, 0, 99, 2);
        final Path b = RaftSegmentFiles.closed(dir, 100, 313, 2);
        final RaftLogCheck.Verdict v = decide(581, 581);
        assertEquals(List.of(a, b), v.setAside());
        assertEquals(-1, v.logLastIndex());
        assertTrue(v.voteGuardReason().contains("from index 582"), v.voteGuardReason());
    }

    @Test
    void aLogStartingAfterTheSnapshotIsSetAsideWhole() throws IOException {
        final Path a = RaftSegmentFiles.open(dir, 300, 399, 3);
        final RaftLogCheck.Verdict v = decide(100, 100);
        assertEquals(List.of(a), v.setAside());
        assertTrue(v.voteGuardReason().contains("from index 101"), v.voteGuardReason());
    }

    @Test
    void appliedEntriesBeyondTheLogMeanLossEvenWithoutDamage() throws IOException {
        RaftSegmentFiles.closed(dir, 0, 99, 2);
        RaftSegmentFiles.open(dir, 100, 199, 3);
        final RaftLogCheck.Verdict v = decide(50, 250);
        assertTrue(v.setAside().isEmpty());
        assertTrue(v.voteGuardReason().contains("from index 200"), v.voteGuardReason());
    }

    @Test
    void lostOrImplausibleRaftMetadataClosesTheGuard() throws IOException {
        RaftSegmentFiles.open(dir, 0, 99, 4);
        final RaftLogCheck.Verdict unreadable = decide(-1, 99, RaftLogCheck.MetaState.UNREADABLE, -1);
        assertEquals(List.of(dir.resolve("raft-meta")), unreadable.setAside());
        assertTrue(unreadable.voteGuardReason().contains("term and vote"), unreadable.voteGuardReason());
        assertEquals(4, unreadable.restoreMetaTerm(), "a fresh file at the last entry's term");
        final RaftLogCheck.Verdict missing = decide(-1, 99, RaftLogCheck.MetaState.MISSING, -1);
        assertTrue(missing.setAside().isEmpty());
        assertTrue(missing.voteGuardReason().contains("term and vote"));
        assertEquals(4, missing.restoreMetaTerm());
        final RaftLogCheck.Verdict lower = decide(-1, 99, RaftLogCheck.MetaState.PRESENT, 3);
        assertEquals(List.of(dir.resolve("raft-meta")), lower.setAside());
        assertEquals(4, lower.restoreMetaTerm());
        final RaftLogCheck.Verdict fine = decide(-1, 99, RaftLogCheck.MetaState.PRESENT, 4);
        assertTrue(fine.clean());
        assertEquals(-1, fine.restoreMetaTerm(), "a sound file is left alone");
    }

    @Test
    void theSnapshotsTermCountsWhenTheLogIsGone() throws IOException {
        final RaftLogCheck.Verdict belowSnapshot = decide(99, 6, 99, RaftLogCheck.MetaState.PRESENT, 5);
        assertEquals(List.of(dir.resolve("raft-meta")), belowSnapshot.setAside());
        assertEquals(6, belowSnapshot.restoreMetaTerm());
        final RaftLogCheck.Verdict missing = decide(99, 6, 99, RaftLogCheck.MetaState.MISSING, -1);
        assertEquals(6, missing.restoreMetaTerm());
        assertTrue(decide(99, 6, 99, RaftLogCheck.MetaState.PRESENT, 6).clean());
    }

    @Test
    void aNewMemberHasNothingToCheck() throws IOException {
        assertTrue(decide(-1, -1, RaftLogCheck.MetaState.MISSING, -1).clean());
    }
}

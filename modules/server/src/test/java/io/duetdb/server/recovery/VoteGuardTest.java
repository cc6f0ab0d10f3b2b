package io.duetdb.server.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VoteGuardTest {
    @TempDir
    Path dir;

    @Test
    void aClosedGuardStaysClosedAcrossRestartsUntilOpened() throws IOException {
        assertFalse(VoteGuard.load(dir).closed());
        assertTrue(VoteGuard.load(dir).close("the Raft log may have lost entries from index 7", null));
        final VoteGuard reloaded = VoteGuard.load(dir);
        assertTrue(reloaded.closed());
        assertTrue(reloaded.reason().startsWith("the Raft log may have lost entries from index 7"), reloaded.reason());
        reloaded.close("Raft's term and vote were lost", null);
        assertTrue(VoteGuard.load(dir).reason().contains("; then Raft's term and vote were lost"));
        reloaded.open();
        assertFalse(reloaded.closed());
        assertFalse(VoteGuard.load(dir).closed());
        assertFalse(Files.exists(dir.resolve(VoteGuard.FILE_NAME)));
    }

    @Test
    void anOperatorsClearingOutlastsTheNextStartsFindingsOnly() throws IOException {
        VoteGuard.load(dir).close("lost entries", null);
        VoteGuard.load(dir).clearByOperator();
        final VoteGuard nextStart = VoteGuard.load(dir);
        assertFalse(nextStart.closed());
        assertFalse(nextStart.close("lost entries (found again)", null), "the start after clearing keeps it open");
        assertNull(nextStart.reason());
        nextStart.startChecked();
        assertFalse(Files.exists(dir.resolve(VoteGuard.FILE_NAME)));
        assertTrue(VoteGuard.load(dir).close("new damage", null), "later starts close it again");
    }

    @Test
    void theVoteFloorIsKeptWithTheGuardAndOnlyEverRises() throws IOException {
        VoteGuard.load(dir).close("lost entries from index 50", new VoteFloor(3, 120));
        final VoteGuard reloaded = VoteGuard.load(dir);
        assertEquals(new VoteFloor(3, 120), reloaded.floor());
        reloaded.close("lost entries again", new VoteFloor(2, 500));
        assertEquals(new VoteFloor(3, 120), VoteGuard.load(dir).floor(), "term decides first, as in Raft");
        reloaded.close("and again", new VoteFloor(4, 10));
        assertEquals(new VoteFloor(4, 10), VoteGuard.load(dir).floor());
        reloaded.close("the term and vote were lost", null);
        assertNull(VoteGuard.load(dir).floor(), "once unknown, it stays unknown: no votes at all");
        reloaded.open();
        assertNull(reloaded.floor());
    }

    @Test
    void aFloorAdmitsCandidatesAtLeastAsUpToDateByRaftsComparison() {
        final VoteFloor floor = new VoteFloor(3, 120);
        assertTrue(floor.admits(3, 120));
        assertTrue(floor.admits(3, 121));
        assertTrue(floor.admits(4, 1));
        assertFalse(floor.admits(3, 119));
        assertFalse(floor.admits(2, 10_000));
        assertEquals(floor, VoteFloor.decode(floor.encode()));
        assertNull(VoteFloor.decode("vote-floor x 1"));
    }
}

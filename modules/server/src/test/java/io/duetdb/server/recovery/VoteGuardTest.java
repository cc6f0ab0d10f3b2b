package io.duetdb.server.recovery;

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
        assertTrue(VoteGuard.load(dir).close("the Raft log may have lost entries from index 7"));
        final VoteGuard reloaded = VoteGuard.load(dir);
        assertTrue(reloaded.closed());
        assertTrue(reloaded.reason().startsWith("the Raft log may have lost entries from index 7"), reloaded.reason());
        reloaded.close("Raft's term and vote were lost");
        assertTrue(VoteGuard.load(dir).reason().contains("; then Raft's term and vote were lost"));
        reloaded.open();
        assertFalse(reloaded.closed());
        assertFalse(VoteGuard.load(dir).closed());
        assertFalse(Files.exists(dir.resolve(VoteGuard.FILE_NAME)));
    }

    @Test
    void anOperatorsClearingOutlastsTheNextStartsFindingsOnly() throws IOException {
        VoteGuard.load(dir).close("lost entries");
        VoteGuard.load(dir).clearByOperator();
        final VoteGuard nextStart = VoteGuard.load(dir);
        assertFalse(nextStart.closed());
        assertFalse(nextStart.close("lost entries (found again)"), "the start after clearing keeps it open");
        assertNull(nextStart.reason());
        nextStart.startChecked();
        assertFalse(Files.exists(dir.resolve(VoteGuard.FILE_NAME)));
        assertTrue(VoteGuard.load(dir).close("new damage"), "later starts close it again");
    }
}

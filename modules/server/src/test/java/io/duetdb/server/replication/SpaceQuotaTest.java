package io.duetdb.server.replication;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpaceQuotaTest {
    @Test
    void applyAdmitsWhatFitsAndEverythingThatAddsNothing() {
        assertTrue(SpaceQuota.admits(1000, 900, 100), "exactly at the quota");
        assertFalse(SpaceQuota.admits(1000, 900, 101));
        assertTrue(SpaceQuota.admits(1000, 5000, 0), "a delete on a store far past its quota");
        assertTrue(SpaceQuota.admits(0, 5000, 100), "no quota");
    }

    @Test
    void theAlarmHasHysteresis() {
        final SpaceQuota q = new SpaceQuota(10_000);
        q.observe(9_000, 0);
        assertFalse(q.alarm());
        assertDoesNotThrow(() -> q.checkBeforeProposing(9_000, () -> 1_000));
        q.observe(10_000, 0);
        assertTrue(q.alarm(), "usage reached the quota");
        final SpaceQuota.SpaceExceededException e = assertThrows(SpaceQuota.SpaceExceededException.class,
            () -> q.checkBeforeProposing(9_600, () -> 1));
        assertTrue(e.getMessage().startsWith("space exceeded: the store uses 9600 of its 10000-byte quota"),
            e.getMessage());
        assertTrue(e.getMessage().contains("delete keys"), e.getMessage());
        q.observe(9_600, 0);
        assertTrue(q.alarm(), "96% is not yet below the resume mark");
        assertThrows(SpaceQuota.SpaceExceededException.class, () -> q.checkBeforeProposing(9_600, () -> 1));
        assertDoesNotThrow(() -> q.checkBeforeProposing(9_600, () -> 0), "a delete passes while the alarm is on");
        q.observe(9_500, 0);
        assertFalse(q.alarm(), "95%: writes resume");
        assertDoesNotThrow(() -> q.checkBeforeProposing(9_500, () -> 500));
        assertEquals(2, q.refusedBeforeProposing());
    }

    @Test
    void aWriteRefusedAtApplyRaisesTheAlarmBelowTheQuota() {
        final SpaceQuota q = new SpaceQuota(10_000);
        q.observe(8_000, 1);
        assertTrue(q.alarm(), "a refused write means the store is full for writes of that size");
        assertEquals(1, q.refusedAtApply());
        q.observe(9_000, 0);
        assertFalse(q.alarm(), "below 95%: cleared");
    }

    @Test
    void withoutTheAlarmAWriteThatWouldPassTheQuotaGoesToTheLogWhereEveryMemberRefusesIt() {
        final SpaceQuota q = new SpaceQuota(10_000);
        assertDoesNotThrow(() -> q.checkBeforeProposing(9_000, () -> 1_001));
        assertFalse(q.alarm(), "only applied entries move the alarm, so that every member agrees");
    }
}

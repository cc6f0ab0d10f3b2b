package io.duetdb.server.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StuckLogReportTest {
    private final AtomicLong nowMs = new AtomicLong(1_000);
    private final StuckLogReport report = new StuckLogReport(nowMs::get);

    @Test
    void aStuckLogEndIsReportedAGrowingOneIsNot() {
        assertEquals(Long.MIN_VALUE, report.logEndToReport(true, 500), "just seen: not stuck yet");
        nowMs.addAndGet(StuckLogReport.STUCK_MS - 1);
        assertEquals(Long.MIN_VALUE, report.logEndToReport(true, 500));
        nowMs.addAndGet(1);
        assertEquals(500, report.logEndToReport(true, 500), "stood still long enough");
        nowMs.addAndGet(10_000);
        assertEquals(Long.MIN_VALUE, report.logEndToReport(true, 501), "growing again: being caught up");
        nowMs.addAndGet(StuckLogReport.STUCK_MS);
        assertEquals(501, report.logEndToReport(true, 501));
    }

    @Test
    void nothingIsReportedWhenNotBehind() {
        report.logEndToReport(false, 500);
        nowMs.addAndGet(60_000);
        assertEquals(Long.MIN_VALUE, report.logEndToReport(false, 500));
    }
}

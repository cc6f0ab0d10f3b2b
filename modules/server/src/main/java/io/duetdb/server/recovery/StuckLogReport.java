package io.duetdb.server.recovery;

import java.util.function.LongSupplier;

/**
 * When a follower tells the leader where its Raft log really ends (the {@code lost_entries} of its
 * ReadIndex calls): only while it is behind (its vote guard is closed because it lost entries, or
 * the leader's commit index is above its log's end) and its log end has stood still for
 * {@link #STUCK_MS}. The leader then lowers its match index for the follower if it believes more
 * ({@code FollowerHeartbeats.rewind}): Ratis only ever raises a match index and answers
 * INCONSISTENCY replies by resending from above it, so a follower whose log ends below what the
 * leader believes would never catch up (docs/recovery.md#raft-log).
 *
 * <p>Only a stuck end is reported: a growing log is being caught up and needs nothing, and the end
 * it reports would be stale by the time the leader acts on it, sending the leader back over
 * entries already on their way (seen in the PAR matrix: the follower then stalled).
 */
public final class StuckLogReport {
    /** How long the log end must stand still: several heartbeats, well under a minute of being stuck. */
    static final long STUCK_MS = 3_000;

    private final LongSupplier nowMs;
    private long lastLogEnd = Long.MIN_VALUE;
    private long sinceMs;

    public StuckLogReport(final LongSupplier nowMs) {
        this.nowMs = nowMs;
    }

    /**
     * @param behind whether the follower is behind: it lost entries, or the leader has committed past its log
     * @param logEnd the last index of its Raft log now
     * @return the log end to report, or Long.MIN_VALUE for nothing to report
     */
    public synchronized long logEndToReport(final boolean behind, final long logEnd) {
        final long now = nowMs.getAsLong();
        if (logEnd != lastLogEnd) {
            lastLogEnd = logEnd;
            sinceMs = now;
        }
        return behind && now - sinceMs >= STUCK_MS ? logEnd : Long.MIN_VALUE;
    }
}

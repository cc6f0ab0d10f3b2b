package io.duetdb.server;

import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a Ratis 3.3.0 stall (RATIS-2523): after restarts on an idle cluster, a follower can
 * answer the leader's heartbeats with INCONSISTENCY forever, and only a new entry makes the leader
 * send it the missing ones. On the leader, every {@link #PERIOD_MS} ms this checks the followers'
 * match indexes and reported commit indexes; when one is behind the log and none has moved for
 * {@link #STUCK_CHECKS} checks,
 * it proposes an empty entry: one empty transaction ({@code EntryCodec.noOpRequest}), which only
 * advances the revision. While a follower is down this repeats every STUCK_CHECKS periods.
 */
final class IdleFollowerNudge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdleFollowerNudge.class);
    static final long PERIOD_MS = 2_000;
    static final int STUCK_CHECKS = 3;

    private final Supplier<RaftServer.Division> division;
    private final Runnable proposeEmptyEntry;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "duet-follower-nudge");
        t.setDaemon(true);
        return t;
    });
    private long[] lastProgress = new long[0];
    private int unchangedChecks;
    private String lastFailure;

    IdleFollowerNudge(final Supplier<RaftServer.Division> division, final Runnable proposeEmptyEntry) {
        this.division = division;
        this.proposeEmptyEntry = proposeEmptyEntry;
        timer.scheduleWithFixedDelay(this::check, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            final RaftServer.Division d = division.get();
            if (d == null || !d.getInfo().isLeader()) {
                unchangedChecks = 0;
                return;
            }
            // Match indexes and the commit indexes followers report: a follower answering
            // INCONSISTENCY can keep a match index the leader no longer trusts, while its reported
            // commit index stays behind (seen in a Jepsen partition run: stuck for minutes).
            final long[] progress = LongStream.concat(Arrays.stream(d.getInfo().getFollowerMatchIndices()),
                d.getCommitInfos().stream().mapToLong(CommitInfoProto::getCommitIndex)).toArray();
            final long last = d.getRaftLog().getLastEntryTermIndex() == null ? -1
                : d.getRaftLog().getLastEntryTermIndex().getIndex();
            final boolean behind = Arrays.stream(progress).anyMatch(m -> m < last);
            unchangedChecks = behind && Arrays.equals(progress, lastProgress) ? unchangedChecks + 1 : 0;
            lastProgress = progress;
            if (unchangedChecks >= STUCK_CHECKS) {
                LOG.info("a follower is stuck behind index {} (match, then commit indexes {}): proposing an empty entry", last,
                    Arrays.toString(progress));
                unchangedChecks = 0;
                proposeEmptyEntry.run();
            }
        } catch (final RuntimeException e) {
            if (!e.toString().equals(lastFailure)) { // once per distinct failure: the check runs every 2 s
                LOG.warn("follower check failed: {}", e.toString());
            }
            lastFailure = e.toString();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

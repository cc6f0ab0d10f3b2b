package io.duetdb.server.recovery;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a closed {@link VoteGuard} once it is safe: the member asks the current leader for a read
 * index (the leader's commit index, confirmed by a majority in its term, so every entry committed
 * before this member's restart is at or below it) and waits until it has applied through that
 * index. Until then the member's elections stay paused; afterwards they resume and the guard's
 * file is removed. Attempts repeat every {@link #ATTEMPT_PERIOD_MS} ms, one at a time, until it opens
 * or the node stops.
 */
public final class VoteGuardKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VoteGuardKeeper.class);
    static final long ATTEMPT_PERIOD_MS = 1_000;
    /** How long one attempt waits for this member to apply through the leader's index before asking again. */
    static final long APPLY_WAIT_MS = 60_000;

    /** What the keeper needs from the node. */
    public interface Member {
        /** The leader's read index, fetched as a follower fetches it for a read. */
        CompletableFuture<Long> leaderReadIndex();

        /** Completes once this member has applied through {@code index}. */
        CompletableFuture<Void> whenApplied(long index);

        /** Lets Ratis start elections on this member again. */
        void resumeElections() throws IOException;
    }

    private final VoteGuard guard;
    private final Member member;
    private final LongSupplier appliedIndex;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "duet-vote-guard");
        t.setDaemon(true);
        return t;
    });
    private volatile CompletableFuture<Void> attempt = CompletableFuture.completedFuture(null);
    private volatile String lastProblem = "no attempt yet";

    private VoteGuardKeeper(final VoteGuard guard, final Member member, final LongSupplier appliedIndex) {
        this.guard = guard;
        this.member = member;
        this.appliedIndex = appliedIndex;
    }

    /** Starts watching a closed guard; does nothing for an open one. */
    public static VoteGuardKeeper start(final VoteGuard guard, final Member member, final LongSupplier appliedIndex) {
        final VoteGuardKeeper keeper = new VoteGuardKeeper(guard, member, appliedIndex);
        if (guard.closed()) {
            LOG.warn("this member does not vote until it has caught up with a leader: {}", guard.reason());
            keeper.timer.scheduleWithFixedDelay(keeper::tick, 0, ATTEMPT_PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        return keeper;
    }

    /** Why the guard is still closed, for Status; null once open. */
    public String status() {
        final String reason = guard.reason();
        if (reason == null) {
            return null;
        }
        final VoteFloor floor = guard.floor();
        return reason + " [waiting: " + lastProblem + "; applied " + appliedIndex.getAsLong() + "; "
            + (floor == null ? "votes for no one" : "votes only for a log reaching " + floor) + "]";
    }

    private void tick() {
        if (!guard.closed()) {
            timer.shutdown();
            return;
        }
        if (!attempt.isDone()) {
            return;
        }
        attempt = member.leaderReadIndex().thenCompose(index -> {
            lastProblem = "applying through the leader's read index " + index;
            return member.whenApplied(index).orTimeout(APPLY_WAIT_MS, TimeUnit.MILLISECONDS)
                .thenRun(() -> openGuard(index));
        }).exceptionally(e -> {
            lastProblem = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            return null;
        });
    }

    private void openGuard(final long index) {
        try {
            final String was = guard.reason();
            member.resumeElections();
            guard.open();
            LOG.info("caught up with the leader (applied through its read index {}): this member votes again; it "
                + "had stopped because {}", index, was);
        } catch (final IOException e) {
            lastProblem = "could not open the vote guard: " + e;
            LOG.warn("could not open the vote guard: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

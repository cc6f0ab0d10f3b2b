package io.duetdb.server.read;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A member's way to a read index when it is not the leader: it asks the leader it knows
 * (the Replica service's ReadIndex), and asks again across elections and leader changes until
 * its time budget runs out. The caller then waits for its own apply to reach the index.
 */
public final class FollowerReadIndex {
    /** A leader to ask: its member id and Duet API address. */
    public record Leader(String id, String address) {
    }

    /** The leader this member knows now, or null during an election. */
    public interface LeaderLocator {
        Leader leader();
    }

    /** Asks a leader for a read index; fails with a {@link NoReadIndexException} or a transport error. */
    public interface ReadIndexCall {
        CompletableFuture<Long> readIndex(Leader leader, long deadlineMs);
    }

    private final LeaderLocator locator;
    private final ReadIndexCall call;
    private final long timeoutMs;
    private final long retryBackoffMs;
    private final LongSupplier clockMs;

    /**
     * @param timeoutMs how long one fetch may take over every attempt
     * @param retryBackoffMs the pause before asking again (no leader known, or the one asked could not answer)
     */
    public FollowerReadIndex(final LeaderLocator locator, final ReadIndexCall call, final long timeoutMs,
                             final long retryBackoffMs, final LongSupplier clockMs) {
        if (timeoutMs <= 0 || retryBackoffMs <= 0) {
            throw new IllegalArgumentException("timeoutMs=" + timeoutMs + " retryBackoffMs=" + retryBackoffMs
                + ": both must be > 0");
        }
        this.locator = locator;
        this.call = call;
        this.timeoutMs = timeoutMs;
        this.retryBackoffMs = retryBackoffMs;
        this.clockMs = clockMs;
    }

    /** A read index from the current leader. */
    public CompletableFuture<Long> fetch() {
        return attempt(clockMs.getAsLong() + timeoutMs, "no leader known");
    }

    private CompletableFuture<Long> attempt(final long deadlineMs, final String lastProblem) {
        final long remainingMs = deadlineMs - clockMs.getAsLong();
        if (remainingMs <= 0) {
            return CompletableFuture.failedFuture(new NoReadIndexException(NoReadIndexException.Reason.NO_LEADER,
                "no leader gave a read index within " + timeoutMs + " ms (last: " + lastProblem + ")", null));
        }
        final Leader leader = locator.leader();
        if (leader == null) {
            return retryLater(deadlineMs, "no leader known");
        }
        CompletableFuture<Long> asked;
        try {
            asked = call.readIndex(leader, remainingMs);
        } catch (final RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.handle((index, error) -> index != null ? CompletableFuture.completedFuture(index)
                : retryLater(deadlineMs, "leader " + leader.id() + ": " + message(error)))
            .thenCompose(f -> f);
    }

    private CompletableFuture<Long> retryLater(final long deadlineMs, final String problem) {
        return CompletableFuture.supplyAsync(() -> null,
                CompletableFuture.delayedExecutor(retryBackoffMs, TimeUnit.MILLISECONDS))
            .thenCompose(ignored -> attempt(deadlineMs, problem));
    }

    private static String message(final Throwable error) {
        final Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return String.valueOf(t.getMessage());
    }
}

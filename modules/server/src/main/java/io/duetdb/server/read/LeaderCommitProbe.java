package io.duetdb.server.read;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What this member knows of the leader's commit index, for readiness. A follower's own commit
 * index is what the leader last told it, capped at its own log's end, so a follower whose log is
 * stuck looks caught up by it. The probe asks the leader instead (a read index, the same question a
 * follower's linearizable read asks), at most one question at a time, whenever {@link #refresh}
 * is called (once a second by the health timer).
 */
public final class LeaderCommitProbe {
    /**
     * The last answer.
     *
     * @param index the leader's commit index, -1 while unknown
     * @param atMs when it was learnt (the probe's clock), -1 while unknown
     * @param problem why the last question failed, or null when it was answered
     */
    public record Reading(long index, long atMs, String problem) {
        static final Reading UNKNOWN = new Reading(-1, -1, "not asked yet");
    }

    private final Supplier<CompletableFuture<Long>> readIndex;
    private final LongSupplier clockMs;
    private volatile Reading last = Reading.UNKNOWN;
    private volatile CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);

    public LeaderCommitProbe(final Supplier<CompletableFuture<Long>> readIndex, final LongSupplier clockMs) {
        this.readIndex = readIndex;
        this.clockMs = clockMs;
    }

    /** Asks the leader again unless a question is still out. */
    public void refresh() {
        if (!inFlight.isDone()) {
            return;
        }
        CompletableFuture<Long> asked;
        try {
            asked = readIndex.get();
        } catch (final RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        inFlight = asked.handle((index, error) -> {
            final Reading before = last;
            last = error == null ? new Reading(index, clockMs.getAsLong(), null)
                : new Reading(before.index(), before.atMs(), message(error));
            return null;
        });
    }

    public Reading last() {
        return last;
    }

    private static String message(final Throwable error) {
        final Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return String.valueOf(t.getMessage());
    }
}

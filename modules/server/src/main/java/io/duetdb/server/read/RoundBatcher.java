package io.duetdb.server.read;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs rounds one at a time and hands every caller the first round that starts after its call.
 * Calls arriving while a round is in flight share the next round, started when the in-flight one
 * completes. So a caller waits for at most two rounds, and at most one round runs at a time
 * whatever the call rate: the batching of Duet's ReadIndex (etcd batches its ReadOnlySafe reads
 * the same way).
 *
 * <p>Why a caller never joins a round already in flight: a read index is only good for reads
 * that arrived before the leader recorded it. A round started earlier may have recorded its
 * commit index before the read arrived, and a write acknowledged in between would be missed.
 */
public final class RoundBatcher<T> {
    private final Supplier<CompletableFuture<T>> startRound;
    private CompletableFuture<T> next; // the round the callers arriving now wait for; not started yet
    private boolean inFlight;

    /** @param startRound starts one round; called from {@link #join} or from a round's completion */
    public RoundBatcher(final Supplier<CompletableFuture<T>> startRound) {
        this.startRound = startRound;
    }

    /** The result of a round that starts after this call. */
    public CompletableFuture<T> join() {
        final CompletableFuture<T> round;
        final boolean launch;
        synchronized (this) {
            if (next == null) {
                next = new CompletableFuture<>();
            }
            round = next;
            launch = !inFlight;
            if (launch) {
                inFlight = true;
                next = null;
            }
        }
        if (launch) {
            run(round);
        }
        return round;
    }

    private void run(final CompletableFuture<T> round) {
        CompletableFuture<T> result;
        try {
            result = startRound.get();
        } catch (final RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((value, error) -> {
            final CompletableFuture<T> waiting;
            synchronized (this) {
                waiting = next;
                next = null;
                inFlight = waiting != null;
            }
            if (error != null) {
                round.completeExceptionally(error);
            } else {
                round.complete(value);
            }
            if (waiting != null) {
                run(waiting);
            }
        });
    }
}

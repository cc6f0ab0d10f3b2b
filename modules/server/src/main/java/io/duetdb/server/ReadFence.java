package io.duetdb.server;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Linearizable reads through the log: a read waits until this node has applied a no-op entry
 * that was proposed after the read arrived. Committing an entry appended after time t proves
 * that a majority still followed this leader's term after t, so no newer leader can have
 * committed anything this node has not applied: the table then holds every write acknowledged
 * before the read began.
 *
 * <p>Why not Ratis's ReadIndex: Ratis 3.3.0 remembers the highest commit index a majority of
 * heartbeats confirmed ({@code ReadIndexHeartbeats.ackedCommitIndex}) and answers any read at or
 * below it without a new heartbeat round. A leader cut off from the majority cannot commit, so
 * its commit index stays at that value and it keeps serving its frozen table while a new
 * leader takes writes. The Jepsen harness's sensitivity-control scenario (leader isolated for
 * 7 s, linearizable reads) caught stale reads this way.
 *
 * <p>Batching and limits: at most one fence entry is in flight. Reads that arrive while it is
 * in flight share the next one, proposed when it completes, so a read waits for at most two
 * fence rounds and the log gets at most one fence entry per round, whatever the read rate.
 */
final class ReadFence {
    private final Supplier<CompletableFuture<Long>> proposeNoOp;
    private final LongFunction<CompletableFuture<Void>> whenApplied;
    private CompletableFuture<Void> next; // the fence the reads arriving now wait for; not yet proposed
    private boolean inFlight;

    /**
     * @param proposeNoOp proposes a no-op entry; completes with its log index once committed
     * @param whenApplied completes once this node has applied through an index
     */
    ReadFence(final Supplier<CompletableFuture<Long>> proposeNoOp,
              final LongFunction<CompletableFuture<Void>> whenApplied) {
        this.proposeNoOp = proposeNoOp;
        this.whenApplied = whenApplied;
    }

    /** Completes when a table read on this node is linearizable with every write acknowledged before the call. */
    CompletableFuture<Void> await() {
        final CompletableFuture<Void> fence;
        final boolean launch;
        synchronized (this) {
            if (next == null) {
                next = new CompletableFuture<>();
            }
            fence = next;
            launch = !inFlight;
            if (launch) {
                inFlight = true;
                next = null;
            }
        }
        if (launch) {
            propose(fence);
        }
        return fence;
    }

    private void propose(final CompletableFuture<Void> fence) {
        CompletableFuture<Void> applied;
        try {
            applied = proposeNoOp.get().thenCompose(whenApplied::apply);
        } catch (final RuntimeException e) {
            applied = CompletableFuture.failedFuture(e);
        }
        applied.whenComplete((ignored, error) -> {
            final CompletableFuture<Void> waiting;
            synchronized (this) {
                waiting = next;
                next = null;
                inFlight = waiting != null;
            }
            if (error != null) {
                fence.completeExceptionally(error);
            } else {
                fence.complete(null);
            }
            if (waiting != null) {
                propose(waiting);
            }
        });
    }
}

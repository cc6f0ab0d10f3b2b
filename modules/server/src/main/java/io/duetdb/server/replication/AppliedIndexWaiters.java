package io.duetdb.server.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Futures that complete once this replica has applied through an index. Callers waiting for the
 * same index share one future, so the map holds one entry per distinct index awaited (the read
 * fence awaits one index at a time).
 */
final class AppliedIndexWaiters {
    private final NavigableMap<Long, CompletableFuture<Void>> waiting = new TreeMap<>();
    private long appliedIndex = -1;
    private Throwable failure;

    synchronized CompletableFuture<Void> whenApplied(final long index) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (index <= appliedIndex) {
            return CompletableFuture.completedFuture(null);
        }
        return waiting.computeIfAbsent(index, i -> new CompletableFuture<>());
    }

    /** Completes every waiter at or below {@code index}; indexes only move forward. */
    void advanceTo(final long index) {
        final List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (this) {
            if (index <= appliedIndex) {
                return;
            }
            appliedIndex = index;
            final Map<Long, CompletableFuture<Void>> head = waiting.headMap(index, true);
            ready.addAll(head.values());
            head.clear();
        }
        ready.forEach(f -> f.complete(null)); // outside the lock: callbacks may run inline
    }

    /** Fails every waiter, now and later (the replica stopped serving). */
    void failAll(final Throwable cause) {
        final List<CompletableFuture<Void>> failed;
        synchronized (this) {
            failure = cause;
            failed = new ArrayList<>(waiting.values());
            waiting.clear();
        }
        failed.forEach(f -> f.completeExceptionally(cause));
    }
}

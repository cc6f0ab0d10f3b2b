package io.duetdb.server.replication;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AppliedIndexWaitersTest {
    private final AppliedIndexWaiters waiters = new AppliedIndexWaiters();

    @Test
    void waitersCompleteInIndexOrderAndNeverGoBack() {
        waiters.advanceTo(5);
        assertTrue(waiters.whenApplied(5).isDone(), "already applied");
        final CompletableFuture<Void> seven = waiters.whenApplied(7);
        final CompletableFuture<Void> nine = waiters.whenApplied(9);
        assertSame(seven, waiters.whenApplied(7), "one future per index");
        waiters.advanceTo(8);
        assertTrue(seven.isDone());
        assertFalse(nine.isDone());
        waiters.advanceTo(6); // an older index changes nothing
        assertTrue(waiters.whenApplied(8).isDone());
        waiters.advanceTo(9);
        assertTrue(nine.isDone());
    }

    @Test
    void aFailedReplicaFailsEveryWaiterNowAndLater() {
        final CompletableFuture<Void> pending = waiters.whenApplied(3);
        waiters.failAll(new IOException("replica stopped serving"));
        assertTrue(pending.isCompletedExceptionally());
        assertTrue(waiters.whenApplied(1).isCompletedExceptionally());
    }
}

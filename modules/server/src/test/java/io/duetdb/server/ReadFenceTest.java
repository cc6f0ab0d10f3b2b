package io.duetdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ReadFenceTest {
    private final List<CompletableFuture<Long>> proposed = new ArrayList<>();
    private final List<Long> awaitedIndexes = new ArrayList<>();
    private final ReadFence fence = new ReadFence(() -> {
        final CompletableFuture<Long> f = new CompletableFuture<>();
        proposed.add(f);
        return f;
    }, index -> {
        awaitedIndexes.add(index);
        return CompletableFuture.completedFuture(null);
    });

    @Test
    void aReadWaitsForAFenceProposedAfterItArrived() {
        final CompletableFuture<Void> first = fence.await();
        assertEquals(1, proposed.size(), "the first read proposes a fence at once");
        final CompletableFuture<Void> second = fence.await();
        final CompletableFuture<Void> third = fence.await();
        assertEquals(1, proposed.size(), "reads arriving meanwhile wait for the next fence, not this one");
        assertSame(second, third, "and share it");

        proposed.get(0).complete(10L);
        assertTrue(first.isDone());
        assertFalse(second.isDone(), "the in-flight fence was proposed before the second read arrived");
        assertEquals(2, proposed.size(), "the next fence is proposed when the first completes");
        assertEquals(List.of(10L), awaitedIndexes, "each fence waits for this node to apply its entry");

        proposed.get(1).complete(11L);
        assertTrue(second.isDone() && !second.isCompletedExceptionally());
        assertEquals(2, proposed.size(), "no read waiting: no further fence");
        fence.await();
        assertEquals(3, proposed.size(), "an idle fence proposes again for the next read");
    }

    @Test
    void aFailedFenceFailsItsReadsAndTheNextReadsGetANewFence() {
        final CompletableFuture<Void> first = fence.await();
        final CompletableFuture<Void> second = fence.await();
        proposed.get(0).completeExceptionally(new IllegalStateException("no leader"));
        final ExecutionException e = assertThrows(ExecutionException.class, first::get);
        assertEquals("no leader", e.getCause().getMessage());
        assertFalse(second.isDone());
        proposed.get(1).complete(5L);
        assertTrue(second.isDone() && !second.isCompletedExceptionally());
    }
}

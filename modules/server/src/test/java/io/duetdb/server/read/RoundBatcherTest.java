package io.duetdb.server.read;

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

class RoundBatcherTest {
    private final List<CompletableFuture<Long>> started = new ArrayList<>();
    private final RoundBatcher<Long> rounds = new RoundBatcher<>(() -> {
        final CompletableFuture<Long> f = new CompletableFuture<>();
        started.add(f);
        return f;
    });

    @Test
    void aReadRegisteredAfterARoundStartedIsNotReleasedByThatRound() {
        final CompletableFuture<Long> first = rounds.join();
        assertEquals(1, started.size(), "the first read starts a round at once");
        final CompletableFuture<Long> second = rounds.join();
        final CompletableFuture<Long> third = rounds.join();
        assertEquals(1, started.size(), "reads arriving meanwhile wait for the next round, not this one");
        assertSame(second, third, "and share it");

        started.get(0).complete(10L);
        assertEquals(10L, first.join());
        assertFalse(second.isDone(), "the in-flight round started before the second read arrived");
        assertEquals(2, started.size(), "the next round starts when the first completes");

        started.get(1).complete(11L);
        assertEquals(11L, second.join());
        assertEquals(2, started.size(), "no read waiting: no further round");
        rounds.join();
        assertEquals(3, started.size(), "an idle batcher starts a round for the next read");
    }

    @Test
    void aFailedRoundFailsItsReadsAndTheNextReadsGetANewRound() {
        final CompletableFuture<Long> first = rounds.join();
        final CompletableFuture<Long> second = rounds.join();
        started.get(0).completeExceptionally(new IllegalStateException("no majority"));
        final ExecutionException e = assertThrows(ExecutionException.class, first::get);
        assertEquals("no majority", e.getCause().getMessage());
        assertFalse(second.isDone());
        started.get(1).complete(5L);
        assertTrue(second.isDone() && !second.isCompletedExceptionally());
    }
}

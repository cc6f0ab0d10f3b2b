package io.duetdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The write window: new sequences wait while they would be too far past the oldest outstanding. */
class WriteSequencerTest {
    @Test
    void sequencesStartAtOneAndWaitForTheOldestOutstanding() {
        final WriteSequencer s = new WriteSequencer(3);
        assertEquals(16, s.clientId().size());
        assertEquals(1L, s.acquire().join());
        assertEquals(2L, s.acquire().join());
        assertEquals(3L, s.acquire().join());
        final CompletableFuture<Long> fourth = s.acquire();
        assertFalse(fourth.isDone(), "4 would be 3 past the outstanding 1");
        s.release(3); // a newer one finishing does not help: 1 is still outstanding
        assertFalse(fourth.isDone());
        s.release(1);
        assertEquals(4L, fourth.join());
        assertEquals(2, s.outstandingCount()); // 2 and 4
    }

    @Test
    void aWaiterThatGaveUpDoesNotTakeASequence() {
        final WriteSequencer s = new WriteSequencer(1);
        assertEquals(1L, s.acquire().join());
        final CompletableFuture<Long> gaveUp = s.acquire();
        final CompletableFuture<Long> next = s.acquire();
        gaveUp.cancel(false);
        s.release(1);
        assertEquals(2L, next.join());
        assertTrue(gaveUp.isCancelled());
        assertEquals(1, s.outstandingCount());
    }
}

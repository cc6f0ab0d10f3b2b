package io.duetdb.server.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FollowerReadIndexTest {
    private static final FollowerReadIndex.Leader LEADER = new FollowerReadIndex.Leader("l", "l:1");

    @Test
    void aFollowersReadWaitsForItsOwnApply() {
        final CompletableFuture<Void> appliedThrough50 = new CompletableFuture<>();
        final List<Long> awaited = new ArrayList<>();
        final LinearizableReads reads = new LinearizableReads(new RaftReadView("f", () -> null),
            new LeaderReadIndex(() -> {
                throw new AssertionError("a follower runs no confirmation round");
            }, (m, a, t) -> CompletableFuture.completedFuture(t), true),
            new FollowerReadIndex(() -> LEADER, (leader, deadlineMs) -> CompletableFuture.completedFuture(50L),
                60_000, 10, System::currentTimeMillis),
            new FollowerHeartbeats(), index -> {
                awaited.add(index);
                return appliedThrough50;
            }, () -> 10, 60_000);
        final CompletableFuture<Void> read = reads.barrier();
        assertEquals(List.of(50L), awaited, "the follower waits for the leader's read index");
        assertFalse(read.isDone(), "not before it has applied through it");
        appliedThrough50.complete(null);
        assertTrue(read.isDone() && !read.isCompletedExceptionally());
    }

    @Test
    void itAsksAgainAcrossALeaderChange() {
        final AtomicReference<FollowerReadIndex.Leader> known = new AtomicReference<>(null);
        final List<String> asked = new ArrayList<>();
        final FollowerReadIndex follower = new FollowerReadIndex(() -> {
            final FollowerReadIndex.Leader l = known.get();
            known.set(l == null ? LEADER : new FollowerReadIndex.Leader("m", "m:1")); // election, then l, then m
            return l;
        }, (leader, deadlineMs) -> {
            asked.add(leader.id());
            return leader.id().equals("l")
                ? CompletableFuture.failedFuture(new IllegalStateException("FAILED_PRECONDITION: l is not the leader"))
                : CompletableFuture.completedFuture(9L);
        }, 60_000, 1, System::currentTimeMillis);
        assertEquals(9L, follower.fetch().orTimeout(60, TimeUnit.SECONDS).join());
        assertEquals(List.of("l", "m"), asked);
    }

    @Test
    void itGivesUpAtItsTimeoutSayingWhy() {
        final long[] nowMs = {0};
        final FollowerReadIndex follower = new FollowerReadIndex(() -> LEADER, (leader, deadlineMs) -> {
            nowMs[0] += 400; // each attempt takes 400 ms of the 1 s budget
            return CompletableFuture.failedFuture(new IllegalStateException("UNAVAILABLE: no majority"));
        }, 1_000, 1, () -> nowMs[0]);
        final Throwable error = follower.fetch().handle((v, e) -> e).orTimeout(60, TimeUnit.SECONDS).join();
        assertEquals(NoReadIndexException.Reason.NO_LEADER, NoReadIndexException.reasonOf(error));
        assertTrue(error.getMessage().contains("UNAVAILABLE: no majority"), error.getMessage());
        assertEquals(1_200, nowMs[0], "three attempts fit in the budget");
    }
}

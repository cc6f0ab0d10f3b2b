package io.duetdb.server.read;

import io.duetdb.api.internal.v1.ConfirmLeaderRequest;
import io.duetdb.api.internal.v1.ConfirmLeaderResponse;
import io.duetdb.api.internal.v1.ReadIndexRequest;
import io.duetdb.api.internal.v1.ReadIndexResponse;
import io.duetdb.api.internal.v1.ReplicaGrpc;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The ReadIndex questions one member asks another, over the internal Replica service.
 *
 * <p>Limit: at most {@link #MAX_UNANSWERED_PER_MEMBER} ConfirmLeader calls wait for one member at a
 * time. A member that is cut off answers none until their deadline, while rounds keep completing
 * with the others: beyond the limit it is counted as silent without being asked, so a partition
 * cannot pile up calls.
 */
public final class ReplicaReadCalls implements LeaderReadIndex.TermProbe, FollowerReadIndex.ReadIndexCall {
    public static final int MAX_UNANSWERED_PER_MEMBER = 16;

    private final String selfId;
    private final Function<String, ManagedChannel> channels;
    private final long confirmDeadlineMs;
    private final LongSupplier lostEntriesLogEnd;
    private final Map<String, AtomicInteger> unanswered = new ConcurrentHashMap<>();

    /**
     * @param channels a channel to a member's API address, owned by the caller
     * @param confirmDeadlineMs how long a member has to answer a ConfirmLeader
     * @param lostEntriesLogEnd where this member's Raft log ends while it has lost entries it had
     *     acknowledged (told to the leader with every ReadIndex), else below -1
     */
    public ReplicaReadCalls(final String selfId, final Function<String, ManagedChannel> channels,
                            final long confirmDeadlineMs, final LongSupplier lostEntriesLogEnd) {
        if (confirmDeadlineMs <= 0) {
            throw new IllegalArgumentException("confirmDeadlineMs=" + confirmDeadlineMs + ": must be > 0");
        }
        this.selfId = selfId;
        this.channels = channels;
        this.confirmDeadlineMs = confirmDeadlineMs;
        this.lostEntriesLogEnd = lostEntriesLogEnd;
    }

    @Override
    public CompletableFuture<Long> currentTerm(final String memberId, final String address, final long leaderTerm) {
        final AtomicInteger waiting = unanswered.computeIfAbsent(memberId, id -> new AtomicInteger());
        if (waiting.incrementAndGet() > MAX_UNANSWERED_PER_MEMBER) {
            waiting.decrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException(MAX_UNANSWERED_PER_MEMBER
                + " earlier questions are unanswered"));
        }
        final CompletableFuture<ConfirmLeaderResponse> answer = new CompletableFuture<>();
        // In the root context: a round serves many reads, and must not end when the client call
        // that happened to start it ends (gRPC propagates that call's cancellation to calls it makes).
        Context.ROOT.run(() -> ReplicaGrpc.newStub(channels.apply(address))
            .withDeadlineAfter(confirmDeadlineMs, TimeUnit.MILLISECONDS)
            .confirmLeader(ConfirmLeaderRequest.newBuilder().setTerm(leaderTerm).setLeaderId(selfId).build(),
                completing(answer)));
        return answer.whenComplete((r, e) -> waiting.decrementAndGet()).thenApply(ConfirmLeaderResponse::getTerm);
    }

    @Override
    public CompletableFuture<Long> readIndex(final FollowerReadIndex.Leader leader, final long deadlineMs) {
        final CompletableFuture<ReadIndexResponse> answer = new CompletableFuture<>();
        final ReadIndexRequest.Builder request = ReadIndexRequest.newBuilder().setRequesterId(selfId);
        final long logEnd = lostEntriesLogEnd.getAsLong();
        if (logEnd >= -1) {
            request.setLostEntries(true).setLogEndIndex(logEnd);
        }
        Context.ROOT.run(() -> ReplicaGrpc.newStub(channels.apply(leader.address()))
            .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
            .readIndex(request.build(), completing(answer)));
        return answer.thenApply(ReadIndexResponse::getReadIndex);
    }

    private static <T> StreamObserver<T> completing(final CompletableFuture<T> future) {
        return new StreamObserver<>() {
            @Override
            public void onNext(final T value) {
                future.complete(value);
            }

            @Override
            public void onError(final Throwable t) {
                future.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                future.completeExceptionally(new IllegalStateException("the call ended without an answer"));
            }
        };
    }
}

package io.duetdb.client;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;

/** Receives one unary reply into a future; can cancel the call. */
final class UnaryObserver<T> implements ClientResponseObserver<Object, T> {
    private final CompletableFuture<T> reply = new CompletableFuture<>();
    private ClientCallStreamObserver<?> call;
    private boolean cancelled;
    private T value;

    CompletableFuture<T> reply() {
        return reply;
    }

    @Override
    public synchronized void beforeStart(final ClientCallStreamObserver<Object> requestStream) {
        call = requestStream;
        if (cancelled) {
            call.cancel("cancelled by the caller", null);
        }
    }

    /** Cancels the call (the caller gave up on it). */
    synchronized void cancel() {
        cancelled = true;
        if (call != null) {
            call.cancel("cancelled by the caller", null);
        }
    }

    @Override
    public void onNext(final T next) {
        value = next;
    }

    @Override
    public void onError(final Throwable error) {
        reply.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
        reply.complete(value);
    }
}

package io.duetdb.client;

import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The synchronous API on top of the asynchronous one. */
final class Await {
    private Await() {
    }

    /**
     * The future's value. Needs no timeout of its own: every call ends by its deadline. A failure
     * is thrown as a new {@link DuetException} (the original as its cause) so that its stack trace
     * shows the caller, not a gRPC thread.
     */
    static <R> R result(final CompletableFuture<R> future, final String operation) {
        try {
            return future.get();
        } catch (final InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DuetException(Status.Code.CANCELLED, operation, 0, List.of(), false,
                operation + " was interrupted while waiting", e);
        } catch (final CancellationException e) {
            throw new DuetException(Status.Code.CANCELLED, operation, 0, List.of(), false, operation + " was cancelled",
                e);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof DuetException d) {
                throw new DuetException(d.code(), d.operation(), d.attempts(), d.endpointsTried(), d.outcomeUnknown(),
                    d.getMessage(), d);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new DuetException(Status.Code.UNKNOWN, operation, 0, List.of(), false, operation + " failed: "
                + cause, cause);
        }
    }
}

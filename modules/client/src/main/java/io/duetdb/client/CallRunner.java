package io.duetdb.client;

import com.google.protobuf.MessageLite;
import io.duetdb.api.v1.ResponseHeader;
import io.duetdb.api.v1.WriteId;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs calls: picks each attempt's endpoint, gives it a deadline, retries what is safe to retry
 * with backoff within the call's deadline, and turns the final failure into a
 * {@link DuetException}. Never blocks: attempts are asynchronous, pauses are scheduled.
 */
final class CallRunner {
    private final EndpointPool pool;
    private final LeaderTracker tracker;
    private final WriteSequencer sequencer;
    private final ScheduledExecutorService scheduler;
    private final ClientConfig config;
    private final Backoff backoff;
    private volatile boolean closed;

    CallRunner(final EndpointPool pool, final LeaderTracker tracker, final WriteSequencer sequencer,
               final ScheduledExecutorService scheduler, final ClientConfig config) {
        this.pool = pool;
        this.tracker = tracker;
        this.sequencer = sequencer;
        this.scheduler = scheduler;
        this.config = config;
        this.backoff = new Backoff(config.backoffInitialMs(), config.backoffMaxMs());
    }

    /**
     * Runs a call.
     *
     * @param rpcFor   the attempt to send, given the call's write id (null unless a WRITE call);
     *                 every attempt of one call sends the same request
     * @param headerOf the header of a reply, to notice leader changes
     * @param toResult the reply (and the endpoint that gave it) as the caller's type
     */
    <P, R> CompletableFuture<R> run(final CallSpec spec, final Function<WriteId, Rpc<P>> rpcFor,
                                    final Function<P, ResponseHeader> headerOf,
                                    final BiFunction<P, Endpoint, R> toResult) {
        if (closed) {
            return CompletableFuture.failedFuture(new DuetException(Status.Code.CANCELLED, spec.operation(), 0,
                List.of(), false, spec.operation() + " failed: the client is closed", null));
        }
        final Call<P, R> call = new Call<>(spec, rpcFor, headerOf, toResult);
        call.start();
        return call.result;
    }

    /** Refuses a request above maxRequestBytes before it is sent; null when it fits. */
    DuetException checkSize(final String operation, final MessageLite request) {
        final int size = request.getSerializedSize();
        // A write id adds about 25 bytes when the call sets it.
        return size + 32 <= config.maxRequestBytes() ? null : DuetException.refused(operation, "the request is "
            + size + " bytes, above this client's maxRequestBytes of " + config.maxRequestBytes()
            + " (the server's own limit, max-request-bytes, is 2 MiB by default)");
    }

    /** From now on calls fail with CANCELLED, and pending retries fail when they run. */
    void close() {
        closed = true;
    }

    /** The state of one call: its attempts happen one after another, never two at once. */
    private final class Call<P, R> {
        final CompletableFuture<R> result = new CompletableFuture<>();
        private final CallSpec spec;
        private final Function<WriteId, Rpc<P>> rpcFor;
        private final Function<P, ResponseHeader> headerOf;
        private final BiFunction<P, Endpoint, R> toResult;
        /** Endpoints that failed this call; skipped until every endpoint has. */
        private final Set<Endpoint> avoid = new HashSet<>();
        private final List<String> tried = new ArrayList<>();
        private Rpc<P> rpc;
        private int attempts;
        private Status last;
        private Throwable lastError;
        private boolean outcomeUnknown;
        private volatile long sequence;
        private volatile UnaryObserver<P> current;
        private volatile CompletableFuture<?> waiting;

        Call(final CallSpec spec, final Function<WriteId, Rpc<P>> rpcFor, final Function<P, ResponseHeader> headerOf,
             final BiFunction<P, Endpoint, R> toResult) {
            this.spec = spec;
            this.rpcFor = rpcFor;
            this.headerOf = headerOf;
            this.toResult = toResult;
        }

        void start() {
            result.whenComplete((r, error) -> {
                if (result.isCancelled()) {
                    final UnaryObserver<P> c = current;
                    final CompletableFuture<?> w = waiting;
                    if (c != null) {
                        c.cancel();
                    }
                    if (w != null) {
                        w.cancel(false);
                    }
                }
                releaseSequence();
            });
            if (spec.kind() != CallKind.WRITE) {
                rpc = rpcFor.apply(null);
                attempt();
                return;
            }
            final CompletableFuture<Long> seq = sequencer.acquire()
                .orTimeout(Math.max(1, spec.remainingMs()), TimeUnit.MILLISECONDS);
            waiting = seq;
            seq.whenComplete((s, error) -> {
                if (error != null) {
                    fail(Status.DEADLINE_EXCEEDED.withDescription("waited for the write window until the deadline: "
                        + WriteSequencer.DEFAULT_WINDOW + " writes of this client were outstanding, the oldest still "
                        + "unfinished"), error);
                    return;
                }
                sequence = s;
                if (result.isDone()) {
                    releaseSequence();
                    return;
                }
                rpc = rpcFor.apply(sequencer.writeId(s));
                attempt();
            });
        }

        private void releaseSequence() {
            final long s = sequence;
            if (s > 0) {
                sequencer.release(s); // idempotent: both paths may get here
            }
        }

        private void attempt() {
            if (result.isDone()) {
                return;
            }
            final long remainingMs = spec.remainingMs();
            if (remainingMs <= 0 || closed) {
                failFinal(remainingMs <= 0);
                return;
            }
            final CompletableFuture<Endpoint> target = switch (spec.route()) {
                case FIXED -> CompletableFuture.completedFuture(spec.fixed());
                case ANY -> CompletableFuture.completedFuture(pool.next(avoid));
                case LEADER -> tracker.leader()
                    .completeOnTimeout(null, Math.min(remainingMs, config.leaderRefreshTimeoutMs()),
                        TimeUnit.MILLISECONDS)
                    .thenApply(ep -> ep == null || avoid.contains(ep) ? pool.next(avoid) : ep);
            };
            waiting = target;
            target.whenComplete((ep, error) -> send(error == null ? ep : pool.next(avoid)));
        }

        private void send(final Endpoint ep) {
            final long remainingMs = spec.remainingMs();
            if (result.isDone()) {
                return;
            }
            if (remainingMs <= 0) {
                failFinal(true);
                return;
            }
            // A call sent once gets the whole time; others leave time for another attempt.
            final long attemptMs = spec.kind() == CallKind.ONCE ? remainingMs
                : Math.min(remainingMs, config.attemptTimeoutMs());
            attempts++;
            if (!tried.contains(ep.address())) {
                tried.add(ep.address());
            }
            final UnaryObserver<P> reply = new UnaryObserver<>();
            current = reply;
            try {
                rpc.start(ep.channel(), Deadline.after(attemptMs, TimeUnit.MILLISECONDS), reply);
            } catch (final RuntimeException e) {
                reply.onError(e);
            }
            if (result.isCancelled()) {
                reply.cancel();
            }
            reply.reply().whenComplete((p, error) -> {
                if (error == null) {
                    succeeded(ep, p);
                } else {
                    failed(ep, error);
                }
            });
        }

        private void succeeded(final Endpoint ep, final P reply) {
            try {
                tracker.observe(headerOf.apply(reply));
                result.complete(toResult.apply(reply, ep));
            } catch (final RuntimeException e) {
                fail(Status.INTERNAL.withDescription("could not read the reply: " + e), e);
            }
        }

        private void failed(final Endpoint ep, final Throwable error) {
            final Status status = Status.fromThrowable(error);
            last = status;
            lastError = error;
            final Status.Code code = status.getCode();
            if (spec.kind() == CallKind.WRITE && !CallKind.surelyNotApplied(code)) {
                outcomeUnknown = true;
            }
            if (code == Status.Code.UNAVAILABLE) {
                tracker.unreachable(ep);
            }
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                avoid.add(ep);
                if (avoid.size() >= pool.size()) {
                    avoid.clear();
                    pool.resetConnectBackoff();
                }
            }
            if (!spec.kind().retries(status) || attempts >= config.maxAttempts()) {
                fail(status, error);
                return;
            }
            final long pauseMs = backoff.delayMs(attempts);
            if (pauseMs >= spec.remainingMs()) {
                fail(status, error); // no time left for another attempt
                return;
            }
            try {
                scheduler.schedule(this::attempt, pauseMs, TimeUnit.MILLISECONDS);
            } catch (final RejectedExecutionException e) {
                fail(Status.CANCELLED.withDescription("the client was closed while retrying (last failure: "
                    + code + ": " + status.getDescription() + ")"), error);
            }
        }

        /** No more attempts: the deadline passed, or the client closed. */
        private void failFinal(final boolean deadlinePassed) {
            final String lastFailure = last == null ? "" : " (the last attempt failed with " + last.getCode()
                + (last.getDescription() == null ? "" : ": " + last.getDescription()) + ")";
            fail(deadlinePassed
                ? Status.DEADLINE_EXCEEDED.withDescription("the call's time of " + spec.timeoutMs() + " ms ran out"
                    + lastFailure)
                : Status.CANCELLED.withDescription("the client was closed" + lastFailure), lastError);
        }

        private void fail(final Status status, final Throwable cause) {
            result.completeExceptionally(Failures.of(spec, status, cause, attempts, tried, outcomeUnknown,
                config.maxInboundMessageBytes()));
        }
    }
}

package io.duetdb.server.admin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts and times every call on a gRPC server, per full method name ({@code duet.kv.v1.Kv/Put}):
 * <ul>
 *   <li>{@code duet_grpc_server_handled_total{method,code}}: calls completed, by status code;
 *   <li>{@code duet_grpc_server_latency_seconds{method}}: time from the call's start to its close
 *       (a summary, with {@code _count} and {@code _sum});
 *   <li>{@code duet_grpc_server_in_flight}: calls started and not completed yet.
 * </ul>
 * A call is recorded once: when the server closes it (its status), when a handler throws (UNKNOWN,
 * as gRPC then answers), or when it is cancelled first (DEADLINE_EXCEEDED if its deadline passed,
 * else CANCELLED). Install on the whole server with {@code ServerBuilder.intercept(...)}.
 *
 * <p>Method names come from the server's registered services, so the label set is bounded; an
 * unknown method never reaches the interceptor (the server answers UNIMPLEMENTED itself).
 */
public final class GrpcServerMetricsInterceptor implements ServerInterceptor {
    private final MetricRegistry registry;
    private final ConcurrentMap<String, MethodMetrics> methods = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();

    public GrpcServerMetricsInterceptor(final MetricRegistry registry) {
        this.registry = registry;
        registry.register(DuetMetricNames.GRPC_IN_FLIGHT, (Gauge<Long>) inFlight::get);
    }

    /** One method's timer, and its counters per status code, created on first use. */
    private final class MethodMetrics {
        private final String method;
        private final Timer latency;
        private final AtomicReferenceArray<Counter> byCode = new AtomicReferenceArray<>(Status.Code.values().length);

        MethodMetrics(final String method) {
            this.method = method;
            this.latency = Summaries.timer(registry, MetricName.of(DuetMetricNames.GRPC_LATENCY, "method", method));
        }

        Counter handled(final Status.Code code) {
            Counter c = byCode.get(code.ordinal());
            if (c == null) {
                // registry.counter returns the one already there if two threads race here.
                c = registry.counter(MetricName.of(DuetMetricNames.GRPC_HANDLED, "method", method, "code",
                    code.name()));
                byCode.set(code.ordinal(), c);
            }
            return c;
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(final ServerCall<Q, R> call, final Metadata headers,
                                                       final ServerCallHandler<Q, R> next) {
        final MethodMetrics m = methods.computeIfAbsent(call.getMethodDescriptor().getFullMethodName(),
            MethodMetrics::new);
        final Outcome outcome = new Outcome(m, m.latency.time());
        inFlight.incrementAndGet();
        final ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(final Status status, final Metadata trailers) {
                    outcome.record(status.getCode());
                    super.close(status, trailers);
                }
            }, headers);
        } catch (final RuntimeException e) {
            outcome.record(Status.Code.UNKNOWN);
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(final Q message) {
                guard(() -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                guard(super::onHalfClose);
            }

            @Override
            public void onReady() {
                guard(super::onReady);
            }

            @Override
            public void onCancel() {
                outcome.record(cancelCode());
                super.onCancel();
            }

            @Override
            public void onComplete() {
                // Normally recorded at close already; this only catches a close that bypassed us.
                outcome.record(Status.Code.OK);
                super.onComplete();
            }

            private void guard(final Runnable r) {
                try {
                    r.run();
                } catch (final RuntimeException e) {
                    outcome.record(Status.Code.UNKNOWN);
                    throw e;
                }
            }
        };
    }

    /** DEADLINE_EXCEEDED when the call's deadline passed, else CANCELLED (listeners run in the call's context). */
    static Status.Code cancelCode() {
        final Context ctx = Context.current();
        final Status status = Contexts.statusFromCancelled(ctx);
        if (status != null && status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return Status.Code.DEADLINE_EXCEEDED;
        }
        return ctx.getDeadline() != null && ctx.getDeadline().isExpired() ? Status.Code.DEADLINE_EXCEEDED
            : Status.Code.CANCELLED;
    }

    /** Records one call exactly once, whichever of close, cancel or a throw comes first. */
    private final class Outcome {
        private final MethodMetrics metrics;
        private final Timer.Context timing;
        private final AtomicBoolean recorded = new AtomicBoolean();

        Outcome(final MethodMetrics metrics, final Timer.Context timing) {
            this.metrics = metrics;
            this.timing = timing;
        }

        void record(final Status.Code code) {
            if (recorded.compareAndSet(false, true)) {
                timing.stop();
                metrics.handled(code).inc();
                inFlight.decrementAndGet();
            }
        }
    }
}

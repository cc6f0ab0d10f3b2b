package io.duetdb.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over real gRPC on loopback (this project has no in-process transport: grpc-inprocess is not among
 * its dependencies): the health service, and a test service whose methods throw or never answer.
 */
class GrpcServerMetricsInterceptorTest {
    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(final String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(final InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> THROW = unary("Throw");
    private static final MethodDescriptor<String, String> HANG = unary("Hang");
    private static final String CHECK = "grpc.health.v1.Health/Check";

    private final MetricRegistry registry = new MetricRegistry();
    /** Counted down when a call reaches the service, after the interceptor saw it start. */
    private final CountDownLatch started = new CountDownLatch(1);
    /** Counted down when a call's cancellation reaches the service, after the interceptor saw it. */
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private Server server;
    private ManagedChannel channel;

    private static MethodDescriptor<String, String> unary(final String name) {
        return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("test.Echo/" + name).setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }

    @BeforeEach
    void start() throws IOException {
        final HealthStatusManager health = new HealthStatusManager();
        final ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
            .addMethod(THROW, ServerCalls.asyncUnaryCall((request, response) -> {
                throw new IllegalStateException("handler bug");
            }))
            .addMethod(HANG, ServerCalls.asyncUnaryCall((request, response) -> {
                // never answers
            }))
            .build();
        final ServerInterceptor seesCancel = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(final ServerCall<Q, R> call, final Metadata headers,
                                                               final ServerCallHandler<Q, R> next) {
                started.countDown();
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                    next.startCall(call, headers)) {
                    @Override
                    public void onCancel() {
                        cancelled.countDown();
                        super.onCancel();
                    }
                };
            }
        };
        // As the node installs it: on the whole server, so it runs before any per-service interceptor.
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(health.getHealthService())
            .addService(ServerInterceptors.intercept(echo, seesCancel))
            .intercept(new GrpcServerMetricsInterceptor(registry))
            .build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
        server.awaitTermination(10, TimeUnit.SECONDS);
    }

    private PromTextParser.Parsed scrape() {
        return PromTextParser.parse(new PrometheusExposition(List.of(new DropwizardSource(registry))).render());
    }

    @Test
    void callsAreCountedPerMethodAndStatusAndTimed() {
        final HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
            stub.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
        stub.check(HealthCheckRequest.newBuilder().setService("").build());
        final StatusRuntimeException notFound = assertThrows(StatusRuntimeException.class,
            () -> stub.check(HealthCheckRequest.newBuilder().setService("no-such-service").build()));
        assertEquals(Status.Code.NOT_FOUND, notFound.getStatus().getCode());

        // The interceptor records at close, before the status goes out: no waiting needed here.
        final PromTextParser.Parsed p = scrape();
        assertEquals(2, p.value("duet_grpc_server_handled_total{code=\"OK\",method=\"" + CHECK + "\"}"));
        assertEquals(1, p.value("duet_grpc_server_handled_total{code=\"NOT_FOUND\",method=\"" + CHECK + "\"}"));
        assertEquals("counter", p.types().get("duet_grpc_server_handled_total"));
        assertEquals(3, p.value("duet_grpc_server_latency_seconds_count{method=\"" + CHECK + "\"}"));
        final double sum = p.value("duet_grpc_server_latency_seconds_sum{method=\"" + CHECK + "\"}");
        assertTrue(sum > 0 && sum < 30, "latency sum in seconds: " + sum);
        assertEquals("summary", p.types().get("duet_grpc_server_latency_seconds"));
        assertEquals(0, p.value("duet_grpc_server_in_flight"));
        assertFalse(p.samples().keySet().stream().anyMatch(k -> k.contains("test.Echo")), "unused methods: no series");
    }

    @Test
    void aThrowingHandlerCountsAsUnknown() {
        final StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> ClientCalls.blockingUnaryCall(channel, THROW, CallOptions.DEFAULT, "x"));
        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        final PromTextParser.Parsed p = scrape();
        assertEquals(1, p.value("duet_grpc_server_handled_total{code=\"UNKNOWN\",method=\"test.Echo/Throw\"}"));
        assertEquals(1, p.value("duet_grpc_server_latency_seconds_count{method=\"test.Echo/Throw\"}"));
        assertEquals(0, p.value("duet_grpc_server_in_flight"));
    }

    @Test
    void aCancelledCallCountsAsCancelledOnce() throws Exception {
        final ClientCall<String, String> call = channel.newCall(HANG, CallOptions.DEFAULT);
        final CountDownLatch closed = new CountDownLatch(1);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(final Status status, final Metadata trailers) {
                closed.countDown();
            }
        }, new Metadata());
        call.sendMessage("x");
        call.halfClose();
        call.request(1);
        assertTrue(started.await(30, TimeUnit.SECONDS), "the server took the call");
        final PromTextParser.Parsed before = scrape();
        assertEquals(1, before.value("duet_grpc_server_in_flight"));
        assertFalse(before.samples().containsKey(
            "duet_grpc_server_handled_total{code=\"CANCELLED\",method=\"test.Echo/Hang\"}"));
        call.cancel("test cancels", null);
        assertTrue(cancelled.await(30, TimeUnit.SECONDS), "the server saw the cancellation");
        assertTrue(closed.await(30, TimeUnit.SECONDS));
        final PromTextParser.Parsed p = scrape();
        assertEquals(1, p.value("duet_grpc_server_handled_total{code=\"CANCELLED\",method=\"test.Echo/Hang\"}"));
        assertEquals(1, p.value("duet_grpc_server_latency_seconds_count{method=\"test.Echo/Hang\"}"));
        assertEquals(0, p.value("duet_grpc_server_in_flight"));
    }

    @Test
    void aCancellationByDeadlineIsTold() throws Exception {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            final Context.CancellableContext expired = Context.ROOT.withDeadlineAfter(0, TimeUnit.NANOSECONDS, timer);
            assertEquals(Status.Code.DEADLINE_EXCEEDED, expired.call(GrpcServerMetricsInterceptor::cancelCode));
            final Context.CancellableContext plain = Context.ROOT.withCancellation();
            plain.cancel(null);
            assertEquals(Status.Code.CANCELLED, plain.call(GrpcServerMetricsInterceptor::cancelCode));
        } finally {
            timer.shutdownNow();
        }
    }
}

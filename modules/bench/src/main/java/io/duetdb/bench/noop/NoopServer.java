package io.duetdb.bench.noop;

import com.codahale.metrics.MetricRegistry;
import io.duetdb.api.v1.DeleteRangeRequest;
import io.duetdb.api.v1.DeleteRangeResponse;
import io.duetdb.api.v1.KVGrpc;
import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.PutResponse;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.RangeResponse;
import io.duetdb.api.v1.ResponseHeader;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.api.v1.TxnRequest;
import io.duetdb.api.v1.TxnResponse;
import io.duetdb.server.admin.GrpcServerMetricsInterceptor;
import io.duetdb.server.config.NodeConfig;
import io.duetdb.server.net.GrpcTransport;
import io.duetdb.server.replication.ReplicaLimits;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling for request handling: Duet's KV and Maintenance services answered at once, with no
 * storage and no replication, on the node's own gRPC stack (the same {@link GrpcTransport}: netty
 * event loops on io_uring, the same message limit and server metrics interceptor). It says it is
 * the leader, so the Duet client drives it exactly as it drives a cluster.
 *
 * <pre>java -cp 'modules/bench/target/*:modules/bench/target/lib/*' io.duetdb.bench.noop.NoopServer --port 2379</pre>
 */
public final class NoopServer implements AutoCloseable {
    private static final String MEMBER_ID = "noop";

    private final GrpcTransport transport;
    private final Server server;

    private NoopServer(final GrpcTransport transport, final Server server) {
        this.transport = transport;
        this.server = server;
    }

    /** Starts on 127.0.0.1:{@code port} (0: any free port). */
    public static NoopServer start(final int port) throws IOException {
        final GrpcTransport transport = new GrpcTransport(NodeConfig.Tls.OFF);
        final AtomicLong revision = new AtomicLong();
        final Server server = transport.server("127.0.0.1", port).maxInboundMessageSize(ReplicaLimits.MAX_MESSAGE_BYTES)
            .addService(new Kv(revision)).addService(new Maintenance(revision))
            .intercept(new GrpcServerMetricsInterceptor(new MetricRegistry())).build().start();
        return new NoopServer(transport, server);
    }

    public int port() {
        return server.getPort();
    }

    public String transportName() {
        return transport.name();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        transport.close();
    }

    public static void main(final String[] args) throws Exception {
        int port = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].equals("--port")) {
                System.err.println("usage: NoopServer [--port N]");
                System.exit(2);
            }
            port = Integer.parseInt(args[i + 1]);
        }
        final NoopServer noop = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                noop.close();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("noop server listening on 127.0.0.1:" + noop.port() + " (" + noop.transportName() + ")");
        noop.server.awaitTermination();
    }

    private static ResponseHeader header(final long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).setMemberId(MEMBER_ID).setRaftTerm(1)
            .setClusterId(MEMBER_ID).build();
    }

    /** Every write gets the next revision, so replies look like a real node's; nothing is stored. */
    private static final class Kv extends KVGrpc.KVImplBase {
        private final AtomicLong revision;

        Kv(final AtomicLong revision) {
            this.revision = revision;
        }

        @Override
        public void put(final PutRequest request, final StreamObserver<PutResponse> response) {
            response.onNext(PutResponse.newBuilder().setHeader(header(revision.incrementAndGet())).build());
            response.onCompleted();
        }

        @Override
        public void range(final RangeRequest request, final StreamObserver<RangeResponse> response) {
            response.onNext(RangeResponse.newBuilder().setHeader(header(revision.get())).build());
            response.onCompleted();
        }

        @Override
        public void deleteRange(final DeleteRangeRequest request, final StreamObserver<DeleteRangeResponse> response) {
            response.onNext(DeleteRangeResponse.newBuilder().setHeader(header(revision.incrementAndGet())).build());
            response.onCompleted();
        }

        @Override
        public void txn(final TxnRequest request, final StreamObserver<TxnResponse> response) {
            response.onNext(TxnResponse.newBuilder().setHeader(header(revision.incrementAndGet())).setSucceeded(true)
                .build());
            response.onCompleted();
        }
    }

    /** Status only: enough for the client to find "the leader". */
    private static final class Maintenance extends MaintenanceGrpc.MaintenanceImplBase {
        private final AtomicLong revision;

        Maintenance(final AtomicLong revision) {
            this.revision = revision;
        }

        @Override
        public void status(final StatusRequest request, final StreamObserver<StatusResponse> response) {
            response.onNext(StatusResponse.newBuilder().setMemberId(MEMBER_ID).setLeaderId(MEMBER_ID).setRaftTerm(1)
                .setHeader(header(revision.get())).setApiTransport("noop").build());
            response.onCompleted();
        }
    }
}

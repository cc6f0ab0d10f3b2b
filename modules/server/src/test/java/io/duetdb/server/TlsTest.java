package io.duetdb.server;

import static io.duetdb.server.ReplicationTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.server.testing.ClusterFixture;
import io.duetdb.server.testing.TestCertificates;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the client and the peer port: the cluster elects a leader and replicates over TLS
 * (Raft traffic), a client with a certificate from the cluster's CA works, and plaintext, no
 * certificate, or a certificate from another CA are refused (UNAVAILABLE: the handshake fails).
 */
class TlsTest {
    @TempDir
    Path root;

    @Test
    void mutualTlsOnClientAndPeerPorts() throws Exception {
        final TestCertificates certs = TestCertificates.create(root.resolve("pki"));
        try (ClusterFixture cluster = new ClusterFixture(root, 3, "--tls-cert-file", certs.node.certFile().toString(),
            "--tls-key-file", certs.node.keyFile().toString(), "--tls-ca-file", certs.caFile.toString(),
            "--tls-client-auth", "require")) {
            cluster.useTls(clientContext(certs, certs.client));
            cluster.startAll();
            final List<String> ids = cluster.ids();
            final String leader = cluster.awaitLeader(ids);
            cluster.kv(leader).put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("over tls")).build());
            final long index = cluster.statusOrNull(leader).getAppliedIndex();
            cluster.awaitConverged(ids, index); // Raft replicated over TLS to both followers
            final String follower = ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            assertEquals("over tls", cluster.kv(follower).range(RangeRequest.newBuilder().setKey(bytes("k")).build())
                .getKvs(0).getValue().toStringUtf8());

            final int port = cluster.spec(leader).clientPort();
            assertRefused(NettyChannelBuilder.forTarget("127.0.0.1:" + port).usePlaintext().build());
            assertRefused(NettyChannelBuilder.forTarget("127.0.0.1:" + port)
                .sslContext(GrpcSslContexts.forClient().trustManager(certs.caFile.toFile()).build()).build());
            assertRefused(NettyChannelBuilder.forTarget("127.0.0.1:" + port)
                .sslContext(clientContext(certs, certs.strangerClient)).build());
        }
    }

    static SslContext clientContext(final TestCertificates certs, final TestCertificates.Pair identity)
        throws javax.net.ssl.SSLException {
        return GrpcSslContexts.forClient().trustManager(certs.caFile.toFile())
            .keyManager(identity.certFile().toFile(), identity.keyFile().toFile()).build();
    }

    private static void assertRefused(final ManagedChannel channel) throws InterruptedException {
        try {
            final StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> MaintenanceGrpc
                .newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .status(StatusRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}

package io.duetdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.server.testing.ClusterFixture;
import io.duetdb.server.testing.TestCertificates;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with mutual TLS (tls-client-auth require): the client with the CA and a client
 * certificate works; without a certificate, or in plaintext, it is refused with UNAVAILABLE.
 */
@DisabledIfSystemProperty(named = "duet.skipSlowTests", matches = "true")
class TlsClientTest {
    @TempDir
    Path root;

    @Test
    @SuppressWarnings("try") // ClusterFixture.close() may throw InterruptedException: fine in a test
    void mutualTls() throws Exception {
        final TestCertificates certs = TestCertificates.create(root.resolve("pki"));
        try (ClusterFixture cluster = new ClusterFixture(root, 3, "--tls-cert-file", certs.node.certFile().toString(),
            "--tls-key-file", certs.node.keyFile().toString(), "--tls-ca-file", certs.caFile.toString(),
            "--tls-client-auth", "require")) {
            cluster.useTls(GrpcSslContexts.forClient().trustManager(certs.caFile.toFile())
                .keyManager(certs.client.certFile().toFile(), certs.client.keyFile().toFile()).build());
            cluster.startAll();
            final String leader = cluster.awaitLeader(cluster.ids());
            final List<String> endpoints = cluster.clientEndpoints();

            try (DuetClient client = DuetClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(60))
                .trustedCaFile(certs.caFile).clientCertificate(certs.client.certFile(), certs.client.keyFile())
                .build()) {
                assertEquals(leader, client.kv().put("secure", "yes").header().memberId());
                assertEquals("yes", client.kv().get("secure").orElseThrow().value().toStringUtf8());
                final NodeStatus status = client.cluster().status();
                assertTrue(status.tls(), "the node reports TLS: " + status);
            }

            try (DuetClient noCertificate = DuetClient.builder().endpoints(endpoints)
                .requestTimeout(Duration.ofSeconds(30)).maxAttempts(3).trustedCaFile(certs.caFile).build()) {
                final DuetException refused = assertThrows(DuetException.class, () -> noCertificate.kv().get("secure"));
                assertEquals(Status.Code.UNAVAILABLE, refused.code(), refused.getMessage());
                assertTrue(!refused.endpointsTried().isEmpty() && endpoints.containsAll(refused.endpointsTried()),
                    refused.getMessage());
                System.out.println("without a client certificate: " + refused.getMessage());
            }

            try (DuetClient plaintext = DuetClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(30))
                .maxAttempts(3).build()) {
                final DuetException refused = assertThrows(DuetException.class, () -> plaintext.kv().get("secure"));
                assertEquals(Status.Code.UNAVAILABLE, refused.code(), refused.getMessage());
            }
        }
    }
}

package io.duetdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.server.testing.ClusterFixture;
import io.duetdb.server.testing.TestCertificates;
import io.grpc.netty.GrpcSslContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --cacert, --cert and --key against a node that requires client certificates. */
class TlsFlagsTest {
    @TempDir
    Path root;

    @Test
    void mutualTlsFlags() throws Exception {
        final TestCertificates certs = TestCertificates.create(root.resolve("pki"));
        try (ClusterFixture cluster = new ClusterFixture(Files.createDirectories(root.resolve("c")), 1,
            "--tls-cert-file", certs.node.certFile().toString(), "--tls-key-file", certs.node.keyFile().toString(),
            "--tls-ca-file", certs.caFile.toString(), "--tls-client-auth", "require")) {
            cluster.useTls(GrpcSslContexts.forClient().trustManager(certs.caFile.toFile())
                .keyManager(certs.client.certFile().toFile(), certs.client.keyFile().toFile()).build());
            cluster.startAll();
            cluster.awaitLeader(cluster.ids());
            final String endpoint = cluster.clientEndpoint("n1");
            final String[] tls = {"--endpoints", endpoint, "--cacert", certs.caFile.toString(), "--cert",
                certs.client.certFile().toString(), "--key", certs.client.keyFile().toString()};

            final Cli put = Cli.run(concat(tls, "put", "secret", "42"));
            assertEquals(0, put.exitCode(), put.toString());
            assertEquals("secret\n42\n", Cli.run(concat(tls, "get", "secret")).out());
            final Cli status = Cli.run(concat(tls, "endpoint", "status", "-w", "json"));
            assertTrue(status.json().getAsJsonArray().get(0).getAsJsonObject().get("tls").getAsBoolean(),
                status.toString());

            final Cli noCert = Cli.run("--endpoints", endpoint, "--cacert", certs.caFile.toString(), "--timeout", "3s",
                "get", "secret");
            assertEquals(DuetCtl.EXIT_ERROR, noCert.exitCode(), noCert.toString());
            assertTrue(noCert.err().contains("endpoint health"), noCert.toString());
            final Cli plaintext = Cli.run("--endpoints", endpoint, "--timeout", "3s", "get", "secret");
            assertEquals(DuetCtl.EXIT_ERROR, plaintext.exitCode(), plaintext.toString());
            final Cli halfPair = Cli.run("--endpoints", endpoint, "--cacert", certs.caFile.toString(), "--cert",
                certs.client.certFile().toString(), "get", "secret");
            assertEquals(DuetCtl.EXIT_USAGE, halfPair.exitCode(), halfPair.toString());
            assertTrue(halfPair.err().contains("--cert and --key go together"), halfPair.toString());
        }
    }

    private static String[] concat(final String[] first, final String... rest) {
        final String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}

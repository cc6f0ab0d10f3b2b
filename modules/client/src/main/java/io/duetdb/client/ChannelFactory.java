package io.duetdb.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** Opens the channel of an endpoint: plaintext or TLS (optionally with a client certificate). */
final class ChannelFactory {
    private static final String USER_AGENT = "duet-java-client";

    private final SslContext tls;
    private final int maxInboundMessageBytes;

    /**
     * @param tls null for plaintext
     */
    ChannelFactory(final SslContext tls, final int maxInboundMessageBytes) {
        this.tls = tls;
        this.maxInboundMessageBytes = maxInboundMessageBytes;
    }

    ManagedChannel open(final String address) {
        final NettyChannelBuilder b = NettyChannelBuilder.forTarget(address)
            .maxInboundMessageSize(maxInboundMessageBytes)
            .userAgent(USER_AGENT);
        return (tls == null ? b.usePlaintext() : b.sslContext(tls)).build();
    }

    /**
     * The TLS context from PEM files; {@code caFile} null trusts the JDK's default CAs, and
     * {@code certFile}/{@code keyFile} (PKCS#8) null means no client certificate.
     */
    static SslContext tlsContext(final Path caFile, final Path certFile, final Path keyFile) {
        try {
            final var b = GrpcSslContexts.forClient();
            if (caFile != null) {
                b.trustManager(readable(caFile, "trusted CA file").toFile());
            }
            if (certFile != null) {
                b.keyManager(readable(certFile, "client certificate file").toFile(),
                    readable(keyFile, "client key file").toFile());
            }
            return b.build();
        } catch (final SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS from CA file " + caFile + ", certificate " + certFile
                + ", key " + keyFile + ": " + e.getMessage()
                + " (PEM files expected; the key as PKCS#8, -----BEGIN PRIVATE KEY-----)", e);
        }
    }

    private static Path readable(final Path file, final String what) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " " + file + " does not exist or is not readable");
        }
        return file;
    }

    /** Checks a {@code host:port} address; returns it trimmed. */
    static String checkAddress(final String address) {
        final String a = address == null ? "" : address.trim();
        final int colon = a.lastIndexOf(':');
        final String host = colon < 0 ? "" : a.substring(0, colon);
        int port = -1;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(a.substring(colon + 1));
        } catch (final NumberFormatException e) {
            // reported below
        }
        if (host.isEmpty() || host.contains("/") || port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint \"" + address + "\" is not host:port (for example "
                + "127.0.0.1:2379, db-0.example.com:2379 or [::1]:2379)");
        }
        return a;
    }
}

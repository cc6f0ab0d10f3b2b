package io.duetdb.server.net;

import io.duetdb.server.config.NodeConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The node's gRPC transport: netty event loops on io_uring when the kernel allows it, else epoll,
 * else NIO (unshaded grpc-netty, because grpc-netty-shaded has no io_uring), and the TLS contexts
 * for the API server and for the node's own outgoing calls (repair). One instance per node.
 */
public final class GrpcTransport implements AutoCloseable {
    /** Event-loop threads: the API does little work on them (requests hop to the batcher/readers). */
    private static final int EVENT_LOOP_THREADS = 2;

    private final String name;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> clientChannel;
    private final SslContext serverTls;
    private final SslContext clientTls;

    public GrpcTransport(final NodeConfig.Tls tls) throws SSLException {
        final IoHandlerFactory handler;
        if (IoUring.isAvailable()) {
            name = "io_uring";
            handler = IoUringIoHandler.newFactory();
            serverChannel = IoUringServerSocketChannel.class;
            clientChannel = IoUringSocketChannel.class;
        } else if (Epoll.isAvailable()) {
            name = "epoll";
            handler = EpollIoHandler.newFactory();
            serverChannel = EpollServerSocketChannel.class;
            clientChannel = EpollSocketChannel.class;
        } else {
            name = "nio";
            handler = NioIoHandler.newFactory();
            serverChannel = NioServerSocketChannel.class;
            clientChannel = NioSocketChannel.class;
        }
        group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, handler);
        if (tls.enabled()) {
            serverTls = GrpcSslContexts.forServer(tls.certFile().toFile(), tls.keyFile().toFile())
                .trustManager(tls.caFile().toFile())
                .clientAuth(tls.requireClientCert() ? ClientAuth.REQUIRE : ClientAuth.NONE).build();
            clientTls = GrpcSslContexts.forClient().trustManager(tls.caFile().toFile())
                .keyManager(tls.certFile().toFile(), tls.keyFile().toFile()).build();
        } else {
            serverTls = null;
            clientTls = null;
        }
    }

    /** "io_uring", "epoll" or "nio": what the gRPC sockets run on. */
    public String name() {
        return name;
    }

    public boolean tls() {
        return serverTls != null;
    }

    /** A server builder bound to {@code host:port} on this transport (TLS only, when TLS is on). */
    public NettyServerBuilder server(final String host, final int port) {
        final NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .bossEventLoopGroup(group).workerEventLoopGroup(group).channelType(serverChannel);
        return serverTls == null ? b : b.sslContext(serverTls);
    }

    /** A channel to another node's API port, presenting this node's certificate under mutual TLS. */
    public ManagedChannel channel(final String address, final int maxInboundMessageBytes) {
        final NettyChannelBuilder b = NettyChannelBuilder.forTarget(address).eventLoopGroup(group)
            .channelType(clientChannel).maxInboundMessageSize(maxInboundMessageBytes);
        return (clientTls == null ? b.usePlaintext() : b.sslContext(clientTls)).build();
    }

    @Override
    public void close() {
        try {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

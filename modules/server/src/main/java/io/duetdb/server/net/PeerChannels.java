package io.duetdb.server.net;

import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One gRPC channel per member API address, opened on first use and shared by everything a node
 * asks other members (intent repair, ReadIndex). Bounded by the number of members ever seen.
 */
public final class PeerChannels implements AutoCloseable {
    private final Function<String, ManagedChannel> open;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** @param open opens a channel to a member's API address (plaintext or TLS, as the node runs) */
    public PeerChannels(final Function<String, ManagedChannel> open) {
        this.open = open;
    }

    public ManagedChannel get(final String address) {
        return channels.computeIfAbsent(address, open);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}

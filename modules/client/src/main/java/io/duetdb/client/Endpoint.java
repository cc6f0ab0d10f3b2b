package io.duetdb.client;

import io.grpc.ManagedChannel;

/** One configured endpoint ({@code host:port}) and its channel. Identity equality: one per address. */
final class Endpoint {
    private final String address;
    private final ManagedChannel channel;

    Endpoint(final String address, final ManagedChannel channel) {
        this.address = address;
        this.channel = channel;
    }

    String address() {
        return address;
    }

    ManagedChannel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return address;
    }
}

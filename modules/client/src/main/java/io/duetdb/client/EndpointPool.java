package io.duetdb.client;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The configured endpoints, one channel each, and a rotation over them. */
final class EndpointPool implements AutoCloseable {
    private static final long CLOSE_WAIT_MS = 5_000;

    private final List<Endpoint> endpoints;
    private final AtomicInteger rotation = new AtomicInteger();

    EndpointPool(final List<String> addresses, final Function<String, ManagedChannel> channels) {
        final List<Endpoint> list = new ArrayList<>();
        try {
            for (final String address : addresses) {
                list.add(new Endpoint(address, channels.apply(address)));
            }
        } catch (final RuntimeException e) {
            list.forEach(ep -> ep.channel().shutdownNow());
            throw e;
        }
        this.endpoints = List.copyOf(list);
    }

    List<Endpoint> all() {
        return endpoints;
    }

    int size() {
        return endpoints.size();
    }

    /** The endpoint with this address, or null. */
    Endpoint byAddress(final String address) {
        for (final Endpoint ep : endpoints) {
            if (ep.address().equals(address)) {
                return ep;
            }
        }
        return null;
    }

    /**
     * The next endpoint in rotation that is not in {@code avoid}; when every one is, the next in
     * rotation anyway. Rotating (rather than always starting at the first) spreads calls that have
     * no preference, and moves a retry on to another endpoint.
     */
    Endpoint next(final Collection<Endpoint> avoid) {
        final int start = Math.floorMod(rotation.getAndIncrement(), endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            final Endpoint ep = endpoints.get((start + i) % endpoints.size());
            if (!avoid.contains(ep)) {
                return ep;
            }
        }
        return endpoints.get(start);
    }

    /**
     * Makes channels that gave up connecting try again now: gRPC waits up to two minutes between
     * reconnects to a node that was down, failing calls fast meanwhile, and a restarted node should
     * be used as soon as every other one has failed too.
     */
    void resetConnectBackoff() {
        endpoints.forEach(ep -> ep.channel().resetConnectBackoff());
    }

    @Override
    public void close() {
        endpoints.forEach(ep -> ep.channel().shutdown());
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        for (final Endpoint ep : endpoints) {
            try {
                final long leftNs = Math.max(0, deadline - System.nanoTime());
                if (!ep.channel().awaitTermination(leftNs, TimeUnit.NANOSECONDS)) {
                    ep.channel().shutdownNow();
                }
            } catch (final InterruptedException e) {
                ep.channel().shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}

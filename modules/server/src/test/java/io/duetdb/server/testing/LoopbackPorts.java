package io.duetdb.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for test clusters, each handed out at most once per JVM.
 *
 * <p>Why not {@code new ServerSocket(0)}: the kernel may hand the same ephemeral port to two such
 * calls once the first socket is closed, and any outgoing connection may take it before the node
 * binds it; CI once saw a node's API port equal another node's Raft port. So ports come from
 * {@link #FIRST_PORT}..{@link #LAST_PORT}, below Linux's default ephemeral range (32768-60999),
 * are checked bindable, and are remembered so one test run never reuses one.
 */
public final class LoopbackPorts {
    static final int FIRST_PORT = 20_000;
    static final int LAST_PORT = 32_000;
    /** Attempts before giving up: the range has 12,000 ports and a test run needs a few hundred. */
    private static final int MAX_ATTEMPTS = 1_000;

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private LoopbackPorts() {
    }

    /** A port on 127.0.0.1 that was free just now and that this JVM has not handed out before. */
    public static synchronized int next() throws IOException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            final int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT + 1);
            if (HANDED_OUT.contains(port) || !bindable(port)) {
                continue;
            }
            HANDED_OUT.add(port);
            return port;
        }
        throw new IOException("no free loopback port in " + FIRST_PORT + "-" + LAST_PORT + " after "
            + MAX_ATTEMPTS + " attempts (" + HANDED_OUT.size() + " handed out)");
    }

    private static boolean bindable(final int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (final IOException e) {
            return false;
        }
    }
}

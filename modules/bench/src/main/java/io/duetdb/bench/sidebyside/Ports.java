package io.duetdb.bench.sidebyside;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for the systems' members, each handed out at most once per run: the kernel
 * may give a closed probe socket's port to the next probe, and two members must never share one.
 */
final class Ports {
    /** Probes before giving up; a run needs about 20 ports. */
    private static final int MAX_PROBES = 1_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    static synchronized int free() throws IOException {
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            final int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IOException("no loopback port not already handed out after " + MAX_PROBES + " probes");
    }
}

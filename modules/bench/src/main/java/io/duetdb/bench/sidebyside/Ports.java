package io.duetdb.bench.sidebyside;

import java.io.IOException;
import java.net.ServerSocket;

/** Free loopback ports for the systems' members. */
final class Ports {
    private Ports() {
    }

    static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

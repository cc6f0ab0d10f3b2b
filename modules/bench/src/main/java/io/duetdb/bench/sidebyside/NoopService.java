package io.duetdb.bench.sidebyside;

import io.duetdb.bench.noop.NoopServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The no-op gRPC service ({@link NoopServer}) in its own JVM, started like a Duet node ({@code -Xmx1g}). */
final class NoopService implements SystemUnderTest {
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long POLL_INTERVAL_MS = 100;

    private final ManagedProcess process;
    private final int port;

    private NoopService(final ManagedProcess process, final int port) {
        this.process = process;
        this.port = port;
    }

    static NoopService start(final Path logDir) throws IOException, InterruptedException {
        final int port = Ports.free();
        final ManagedProcess p = ManagedProcess.start("noop", List.of(ManagedProcess.javaBinary(), "-Xmx1g", "-cp",
            System.getProperty("java.class.path"), NoopServer.class.getName(), "--port", String.valueOf(port)),
            logDir.resolve("noop.log"));
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (!p.logText().contains("noop server listening")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.close();
                throw new IllegalStateException("the no-op server did not start:\n" + p.tail(20));
            }
            Thread.sleep(POLL_INTERVAL_MS); // polling a process we do not control
        }
        return new NoopService(p, port);
    }

    @Override
    public String name() {
        return "noop";
    }

    @Override
    public List<String> endpoints() {
        return List.of("127.0.0.1:" + port);
    }

    /** One process: it is its own leader and follower. */
    @Override
    public List<String> endpoints(final ClusterWorkload.Member member) {
        return endpoints();
    }

    @Override
    public void checkAlive() {
        process.checkAlive();
    }

    @Override
    public List<Long> pids() {
        return List.of(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}

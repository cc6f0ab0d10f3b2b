package io.duetdb.server.testing;

import io.duetdb.api.v1.ClusterGrpc;
import io.duetdb.api.v1.KVGrpc;
import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.server.DuetNodeMain;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A cluster of real Duet node processes on loopback, for tests: start, SIGKILL, restart, add and
 * remove, and wait for conditions with generous deadlines. Each node's output goes to
 * {@code <root>/<id>.log} (appended across restarts), which failures print.
 */
public final class ClusterFixture implements AutoCloseable {
    /** Deadline for conditions that need elections, catch-up or recovery on a loaded 2-core machine. */
    public static final long AWAIT_MS = 120_000;

    /** One member's fixed settings: its ports (every node gets an admin HTTP port). */
    public record NodeSpec(String id, int peerPort, int clientPort, int adminPort) {
        String member() {
            return id + "=127.0.0.1:" + peerPort + ":" + clientPort;
        }
    }

    private final Path root;
    private final String testClass;
    private final List<String> extraArgs;
    private final Map<String, NodeSpec> specs = new LinkedHashMap<>();
    private volatile SslContext clientTls;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

    /** Creates specs for nodes n1..n{count} (not started). */
    public ClusterFixture(final Path root, final int count, final String... extraArgs) throws IOException {
        this.root = root;
        this.extraArgs = List.of(extraArgs);
        this.testClass = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass()
            .getSimpleName();
        for (int i = 1; i <= count; i++) {
            addSpec("n" + i);
        }
    }

    public NodeSpec addSpec(final String id) throws IOException {
        final NodeSpec spec = new NodeSpec(id, LoopbackPorts.next(), LoopbackPorts.next(), LoopbackPorts.next());
        specs.put(id, spec);
        return spec;
    }

    public List<String> ids() {
        return new ArrayList<>(specs.keySet());
    }

    public NodeSpec spec(final String id) {
        return specs.get(id);
    }

    /** A node's client (API) address, {@code 127.0.0.1:port}. */
    public String clientEndpoint(final String id) {
        return "127.0.0.1:" + specs.get(id).clientPort();
    }

    /** Every node's client address, in {@link #ids()} order. */
    public List<String> clientEndpoints() {
        return ids().stream().map(this::clientEndpoint).toList();
    }

    public Path dataDir(final String id) {
        return root.resolve(id);
    }

    /** Starts every node with the whole cluster as initial members. */
    public void startAll() throws IOException {
        for (final String id : specs.keySet()) {
            start(id, false, ids());
        }
    }

    /** (Re)starts a node of the initial cluster. */
    public void start(final String id) throws IOException {
        start(id, false, ids());
    }

    /** Starts a new member empty, waiting to be added. */
    public void startJoining(final String id) throws IOException {
        start(id, true, ids());
    }

    private void start(final String id, final boolean join, final List<String> memberIds) throws IOException {
        final NodeSpec spec = specs.get(id);
        final List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-cp", System.getProperty("java.class.path"), DuetNodeMain.class.getName(),
            "--id", id, "--data", dataDir(id).toString(), "--peer-port", String.valueOf(spec.peerPort()),
            "--client-port", String.valueOf(spec.clientPort()), "--admin-port", String.valueOf(spec.adminPort()),
            "--members",
            memberIds.stream().map(m -> specs.get(m).member()).collect(Collectors.joining(","))));
        if (join) {
            cmd.add("--join");
        }
        cmd.addAll(extraArgs);
        final File log = root.resolve(id + ".log").toFile();
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        processes.put(id, p);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill(final String id) throws InterruptedException {
        final Process p = processes.remove(id);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
        closeChannel(id);
    }

    public boolean isRunning(final String id) {
        final Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /** Waits for a node process to exit by itself; returns its exit code. */
    public int awaitExit(final String id, final long timeoutMs) throws InterruptedException {
        final Process p = processes.get(id);
        if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new AssertionError(id + " did not exit within " + timeoutMs + " ms\n" + log(id));
        }
        processes.remove(id);
        return p.exitValue();
    }

    public String log(final String id) {
        try {
            final Path file = root.resolve(id + ".log");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no log)";
        } catch (final IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The last lines of every node's log, for assertion messages. */
    public String logTails() {
        final StringBuilder b = new StringBuilder();
        for (final String id : specs.keySet()) {
            final String[] lines = log(id).split("\n");
            b.append("---- ").append(id).append(" (last 40 lines)\n");
            for (int i = Math.max(0, lines.length - 40); i < lines.length; i++) {
                b.append(lines[i]).append('\n');
            }
        }
        return b.toString();
    }

    /** From now on the fixture's own channels use TLS with this context (null: plaintext). */
    public void useTls(final SslContext context) {
        for (final String id : new ArrayList<>(channels.keySet())) {
            closeChannel(id);
        }
        this.clientTls = context;
    }

    public ManagedChannel channel(final String id) {
        return channels.computeIfAbsent(id, k -> {
            final NettyChannelBuilder b = NettyChannelBuilder.forTarget(clientEndpoint(k));
            return (clientTls == null ? b.usePlaintext() : b.sslContext(clientTls)).build();
        });
    }

    private void closeChannel(final String id) {
        final ManagedChannel c = channels.remove(id);
        if (c != null) {
            c.shutdownNow();
        }
    }

    public KVGrpc.KVBlockingStub kv(final String id) {
        return KVGrpc.newBlockingStub(channel(id)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public ClusterGrpc.ClusterBlockingStub cluster(final String id) {
        return ClusterGrpc.newBlockingStub(channel(id)).withDeadlineAfter(90, TimeUnit.SECONDS);
    }

    public MaintenanceGrpc.MaintenanceBlockingStub maintenance(final String id) {
        return MaintenanceGrpc.newBlockingStub(channel(id)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** The node's status, or null while it does not answer. */
    public StatusResponse statusOrNull(final String id) {
        try {
            return maintenance(id).withDeadlineAfter(5, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
        } catch (final StatusRuntimeException e) {
            return null;
        }
    }

    /** Waits until {@code condition} holds, polling; fails with every node's log tail. */
    public void await(final String what, final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AWAIT_MS);
        while (!condition.getAsBoolean()) {
            for (final Map.Entry<String, Process> p : processes.entrySet()) {
                if (!p.getValue().isAlive()) {
                    throw new AssertionError(p.getKey() + " exited with " + p.getValue().exitValue() + " while waiting"
                        + " for " + what + "\n" + logTails());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + AWAIT_MS + " ms waiting for " + what + "\n"
                    + logTails());
            }
            Thread.sleep(100);
        }
    }

    /** Waits until the running nodes agree on a leader among them; returns its id. */
    public String awaitLeader(final List<String> among) throws InterruptedException {
        final String[] leader = new String[1];
        await("a leader among " + among, () -> {
            String agreed = null;
            for (final String id : among) {
                final StatusResponse s = statusOrNull(id);
                if (s == null || s.getLeaderId().isEmpty() || (agreed != null && !agreed.equals(s.getLeaderId()))) {
                    return false;
                }
                agreed = s.getLeaderId();
            }
            leader[0] = agreed;
            return agreed != null && among.contains(agreed);
        });
        return leader[0];
    }

    /**
     * Waits until every listed node has applied at least {@code minIndex} and all report the same
     * applied index and table digest; returns the digest.
     */
    public long awaitConverged(final List<String> among, final long minIndex) throws InterruptedException {
        final long[] digest = new long[1];
        await("nodes " + among + " converged at index >= " + minIndex, () -> {
            Long d = null;
            long applied = -1;
            for (final String id : among) {
                final StatusResponse s = statusOrNull(id);
                if (s == null || s.getAppliedIndex() < minIndex || (d != null && (d != s.getDigest()
                    || applied != s.getAppliedIndex()))) {
                    return false;
                }
                d = s.getDigest();
                applied = s.getAppliedIndex();
            }
            digest[0] = d;
            return true;
        });
        return digest[0];
    }

    @Override
    public void close() throws InterruptedException {
        for (final String id : new ArrayList<>(processes.keySet())) {
            kill(id);
        }
        for (final String id : new ArrayList<>(channels.keySet())) {
            closeChannel(id);
        }
        keepLogs();
    }

    /**
     * Copies the node logs to target/cluster-logs/TestClass-tmpdir/ so they outlive the temporary
     * directory; .ci/run prints a digest of those of failed test classes.
     */
    private void keepLogs() {
        try {
            final Path kept = Path.of("target", "cluster-logs", testClass + "-" + root.getFileName());
            Files.createDirectories(kept);
            for (final String id : specs.keySet()) {
                final Path log = root.resolve(id + ".log");
                if (Files.exists(log)) {
                    Files.copy(log, kept.resolve(id + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (final IOException e) {
            System.err.println("could not keep the node logs: " + e);
        }
    }
}

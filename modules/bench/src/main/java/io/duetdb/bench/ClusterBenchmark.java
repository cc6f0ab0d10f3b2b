package io.duetdb.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.duetdb.api.v1.KVGrpc;
import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.PutResponse;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.server.DuetNodeMain;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Durable puts per second of a local 3-node cluster (3 node processes on loopback), with leader
 * write batching on and off, in alternating rounds of one run. Each round starts a fresh cluster
 * per mode, warms it for 10 s, then measures each client count on it. The client keeps {@code --clients}
 * puts in flight against the leader (16-byte keys, 256-byte values). Not a test: run by hand.
 *
 * <pre>
 * java -cp 'modules/bench/target/*:modules/bench/target/lib/*' io.duetdb.bench.ClusterBenchmark \
 *     --seconds 10 --rounds 2 --clients 1,16,64
 * </pre>
 */
public final class ClusterBenchmark {
    private static final int VALUE_BYTES = 256;
    private static final long START_TIMEOUT_MS = 120_000;
    private static final int WARMUP_SECONDS = 10;

    private ClusterBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, String> opts = EngineBenchmark.parse(args);
        final int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
        final int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
        final List<Integer> clients = new ArrayList<>();
        for (final String c : opts.getOrDefault("clients", "1,16,64").split(",")) {
            clients.add(Integer.parseInt(c.trim()));
        }
        final Path dir = Path.of(opts.getOrDefault("dir", "target/cluster-bench"));
        System.out.printf("cluster benchmark: 3 nodes on loopback, %d s per trial, %d rounds, clients %s, "
            + "%d-byte values; load before: %s%n", seconds, rounds, clients, VALUE_BYTES,
            EngineBenchmark.loadAverage());
        System.out.println("round clients   batched_puts/s  unbatched_puts/s  ratio  load");
        for (int round = 1; round <= rounds; round++) {
            final double[] batched = trial(dir, true, clients, seconds);
            final double[] unbatched = trial(dir, false, clients, seconds);
            for (int i = 0; i < clients.size(); i++) {
                System.out.printf("%5d %7d %16.0f %17.0f %6.2f  %s%n", round, clients.get(i), batched[i],
                    unbatched[i], batched[i] / unbatched[i], EngineBenchmark.loadAverage());
            }
        }
    }

    /** Starts a cluster, warms it up, and measures each client count in turn on it. */
    private static double[] trial(final Path dir, final boolean batching, final List<Integer> clients,
                                  final int seconds) throws Exception {
        Files.createDirectories(dir);
        EngineBenchmark.deleteTree(dir);
        Files.createDirectories(dir);
        final List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ports.add(new int[] {freePort(), freePort()});
        }
        final String members = java.util.stream.IntStream.range(0, 3)
            .mapToObj(i -> "n" + (i + 1) + "=127.0.0.1:" + ports.get(i)[0] + ":" + ports.get(i)[1])
            .collect(Collectors.joining(","));
        final List<Process> nodes = new ArrayList<>();
        final List<ManagedChannel> channels = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                final List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), DuetNodeMain.class.getName(),
                    "--id", "n" + (i + 1), "--data", dir.resolve("n" + (i + 1)).toString(),
                    "--peer-port", String.valueOf(ports.get(i)[0]), "--client-port", String.valueOf(ports.get(i)[1]),
                    "--members", members));
                if (!batching) {
                    cmd.add("--no-batching");
                }
                nodes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("n" + (i + 1) + ".log").toFile()).start());
                channels.add(NettyChannelBuilder.forTarget("127.0.0.1:" + ports.get(i)[1]).usePlaintext().build());
            }
            final int leader = awaitLeader(channels);
            final KVGrpc.KVFutureStub kv = KVGrpc.newFutureStub(channels.get(leader));
            run(kv, 64, WARMUP_SECONDS); // JIT and connections warm before measuring
            final double[] putsPerSecond = new double[clients.size()];
            for (int i = 0; i < clients.size(); i++) {
                putsPerSecond[i] = run(kv, clients.get(i), seconds);
            }
            return putsPerSecond;
        } finally {
            for (final ManagedChannel c : channels) {
                c.shutdownNow();
            }
            for (final Process p : nodes) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Keeps {@code clients} puts in flight for {@code seconds}; returns acknowledged puts per second. */
    private static double run(final KVGrpc.KVFutureStub kv, final int clients, final int seconds)
        throws InterruptedException {
        final Semaphore inFlight = new Semaphore(clients);
        final AtomicLong done = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final ByteString value = ByteString.copyFrom(new byte[VALUE_BYTES]);
        final long start = System.nanoTime();
        final long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long n = 0;
        while (System.nanoTime() < end) {
            if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            final PutRequest put = PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(String.format("key-%011d", n++ % 100_000))).setValue(value).build();
            Futures.addCallback(kv.withDeadlineAfter(30, TimeUnit.SECONDS).put(put), new FutureCallback<PutResponse>() {
                @Override
                public void onSuccess(final PutResponse r) {
                    done.incrementAndGet();
                    inFlight.release();
                }

                @Override
                public void onFailure(final Throwable t) {
                    failed.incrementAndGet();
                    inFlight.release();
                }
            }, MoreExecutors.directExecutor());
        }
        final double elapsedS = (System.nanoTime() - start) / 1e9;
        inFlight.acquire(clients); // drain
        inFlight.release(clients);
        if (failed.get() > 0) {
            System.out.println("  (" + failed.get() + " puts failed)");
        }
        return done.get() / elapsedS;
    }

    private static int awaitLeader(final List<ManagedChannel> channels) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            for (int i = 0; i < channels.size(); i++) {
                try {
                    final StatusResponse s = MaintenanceGrpc.newBlockingStub(channels.get(i))
                        .withDeadlineAfter(2, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
                    if (s.getMemberId().equals(s.getLeaderId())) {
                        return i;
                    }
                } catch (final RuntimeException e) {
                    // not up yet
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no leader within " + START_TIMEOUT_MS + " ms");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

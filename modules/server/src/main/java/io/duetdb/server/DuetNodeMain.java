package io.duetdb.server;

import io.duetdb.server.config.NodeConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;

/**
 * {@code duet server}: runs one node until SIGTERM. Exit codes: 0 after a clean stop, 2 for bad
 * flags or a node that cannot start, 3 when the replica stops serving (the reason is logged: a
 * damaged intent no replica could supply, a failed log, a diverging replay).
 */
public final class DuetNodeMain {
    static {
        CommonPoolSetting.apply(); // first: before any class touches CompletableFuture
    }

    public static final int EXIT_BAD_START = 2;
    public static final int EXIT_REPLICA_FAILED = 3;

    private DuetNodeMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.print(io.duetdb.server.config.Setting.usage());
            return;
        }
        final NodeConfig config;
        try {
            config = NodeConfig.parse(args);
        } catch (final IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_BAD_START);
            return;
        }
        final DuetNode node;
        try {
            node = DuetNode.start(config, reason -> {
                System.err.println("duet: replica " + config.id() + " stopped serving: " + reason);
                // halt, not exit: the failure may be reported on a Ratis thread that exit's hooks wait for
                Runtime.getRuntime().halt(EXIT_REPLICA_FAILED);
            });
        } catch (final Exception e) {
            System.err.println("duet: node " + config.id() + " could not start: " + e);
            System.exit(EXIT_BAD_START);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "duet-shutdown"));
        if (ForkJoinPool.getCommonPoolParallelism() < CommonPoolSetting.MIN_PARALLELISM) {
            System.err.println("duet: warning: the common fork-join pool has " + ForkJoinPool.getCommonPoolParallelism()
                + " thread(s) (-D" + CommonPoolSetting.PROPERTY + "); Raft then starts a thread per async task");
        }
        System.out.println("duet node " + config.id() + " ready: API " + config.host() + ":" + config.clientPort());
        stopped.await();
    }
}

package io.duetdb.server;

/**
 * Sizes the JVM's common fork-join pool before anything uses it.
 *
 * <p>On a machine with fewer than three cores the JDK sizes that pool at one thread, and then
 * {@code CompletableFuture}'s {@code *Async} methods called without an executor start a <em>new
 * thread for every task</em>. Ratis does that on a follower for every AppendEntries and every log
 * write it completes: on two cores a profile of a 3-node cluster under load showed thread
 * creation on the path of every write. With two or more threads the pool is used instead.
 */
final class CommonPoolSetting {
    static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";
    /** The smallest parallelism at which CompletableFuture uses the common pool. */
    static final int MIN_PARALLELISM = 2;

    private CommonPoolSetting() {
    }

    /** Sets the pool's size unless the operator did (-D on the command line). Call before anything else. */
    static void apply() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Integer.toString(parallelismFor(Runtime.getRuntime().availableProcessors())));
        }
    }

    /** The JDK's own choice (cores - 1), raised to the minimum that avoids a thread per task. */
    static int parallelismFor(final int cores) {
        return Math.max(MIN_PARALLELISM, cores - 1);
    }
}

package io.duetdb.bench.sidebyside;

import java.util.List;

/** A system the side-by-side run drives: started once, alternated with the others, then stopped. */
interface SystemUnderTest extends AutoCloseable {
    /** "duet", "etcd", "noop", or a Duet variant such as "duet:--max-in-flight-entries=16": the label in results. */
    String name();

    /** duet-bench's --target: "duet", "etcd" or "noop". */
    default String target() {
        return name();
    }

    /** Every client endpoint, for the log. */
    List<String> endpoints();

    /**
     * The endpoints a trial's client is given: for {@link ClusterWorkload.Member#ANY} what puts use
     * (Duet: all, its client finds the leader; etcd: the leader only, as etcd's --target-leader), else
     * the member that leads, or one that follows, as the system says now.
     */
    List<String> endpoints(ClusterWorkload.Member member) throws InterruptedException;

    /** Fails if a process of the system has exited. */
    void checkAlive();

    /** Process ids, for the log (to find them in top or a profiler). */
    List<Long> pids();

    @Override
    void close() throws Exception;
}

package io.duetdb.bench.sidebyside;

import java.util.List;

/**
 * What a side-by-side cluster trial asks of a system, and which of its members it asks. Reads go
 * to one member on purpose: a client in another language has no leader preference, and etcd's
 * linearizable reads through a follower cost a round trip to the leader as Duet's do.
 */
enum ClusterWorkload {
    /** Durable puts of the side-by-side payload; Duet's client finds the leader, etcd is given it. */
    PUT("put", "durable puts", "put", List.of("--sequential-keys"), Member.ANY),
    /** Linearizable single-key Range sent to the leader. */
    READ_LEADER("read-leader", "linearizable reads from the leader", "range", List.of(), Member.LEADER),
    /** Linearizable single-key Range sent to a follower (which must ask the leader). */
    READ_FOLLOWER("read-follower", "linearizable reads from a follower", "range", List.of(), Member.FOLLOWER),
    /** Serializable Range from a follower: local state, no leader involved. */
    READ_SERIALIZABLE("read-serializable", "serializable reads from a follower", "range",
        List.of("--consistency", "s"), Member.FOLLOWER),
    /** 90% linearizable reads and 10% puts, from the leader. */
    MIX_90_10("mix-90-10", "90% linearizable reads, 10% puts, from the leader", "mixed",
        List.of("--read-fraction", "0.9"), Member.LEADER);

    /** Which member(s) a trial's client is given. */
    enum Member {
        /** Every endpoint the system has (Duet's client then sends to the leader; etcd: the leader). */
        ANY,
        LEADER,
        FOLLOWER
    }

    private final String label;
    private final String description;
    private final String benchCommand;
    private final List<String> benchArgs;
    private final Member member;

    ClusterWorkload(final String label, final String description, final String benchCommand,
                    final List<String> benchArgs, final Member member) {
        this.label = label;
        this.description = description;
        this.benchCommand = benchCommand;
        this.benchArgs = benchArgs;
        this.member = member;
    }

    /** The name in options, results and file names. */
    String label() {
        return label;
    }

    String description() {
        return description;
    }

    /** The duet-bench subcommand. */
    String benchCommand() {
        return benchCommand;
    }

    /** duet-bench options beyond the shared ones. */
    List<String> benchArgs() {
        return benchArgs;
    }

    Member member() {
        return member;
    }

    boolean isPut() {
        return this == PUT;
    }

    /** The unit of ops/s in tables: "puts" for puts, "reads" for reads, "ops" for the mix. */
    String unit() {
        return switch (this) {
            case PUT -> "puts";
            case MIX_90_10 -> "ops";
            default -> "reads";
        };
    }

    static ClusterWorkload parse(final String label) {
        for (final ClusterWorkload w : values()) {
            if (w.label.equals(label.trim())) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + label + "' (put, read-leader, read-follower, "
            + "read-serializable, mix-90-10)");
    }

    /** A recorded trial's workload: results from before reads were measured have none and were puts. */
    static ClusterWorkload of(final RunRecord.ClusterTrial trial) {
        return trial.workload() == null ? PUT : parse(trial.workload());
    }
}

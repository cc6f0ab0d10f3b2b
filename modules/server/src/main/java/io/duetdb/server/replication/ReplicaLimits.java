package io.duetdb.server.replication;

/** Size limits of replicated entries, chosen to stay below Ratis's 4 MB per-entry appender limit. */
public final class ReplicaLimits {
    /**
     * Largest write request (header + payload) proposed as one Raft entry. Ratis makes its leader
     * step down for an entry above {@code raft.server.log.appender.buffer.byte-limit} (4 MB); this
     * leaves room for Ratis's own framing.
     */
    public static final int MAX_ENTRY_BYTES = 3 * 1024 * 1024;
    /** Largest gRPC message between nodes (an intent with its header, plus framing). */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private ReplicaLimits() {
    }
}

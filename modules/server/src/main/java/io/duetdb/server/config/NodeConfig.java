package io.duetdb.server.config;

import io.duetdb.storage.StoreOptions;
import io.duetdb.storage.io.IoMode;
import io.duetdb.storage.table.Limits;
import io.duetdb.server.replication.ReplicaLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A node's settings, validated. Built by {@link ConfigLoader} from a YAML file, environment
 * variables and flags; every setting is described in {@link Setting}.
 *
 * @param id this member's id (unique in the cluster, stable across restarts)
 * @param dataDir where the node keeps everything: raft/, intent/, completion/, snapshot/
 * @param host the address this node is reached at
 * @param listenHost the address this node binds
 * @param peerPort Raft (node-to-node) port
 * @param clientPort Duet API port (clients, duetctl and the internal Replica service)
 * @param adminPort HTTP admin port (/metrics, /livez, /readyz); 0 when off
 * @param members the initial cluster (this node included), or the existing members when joining
 * @param join start with an empty group and wait to be added with MemberAdd
 * @param requestLimits the limits every client request is checked against at the edge
 * @param readMode how reads that are not serializable are served: {@link ReadMode#LINEARIZABLE} unless
 *     testing that the Jepsen checker catches stale reads
 * @param spaceQuotaBytes the space quota in bytes ({@link SpaceQuotaSizing}), already fitted to the heap
 * @param tls TLS on the client and peer ports, or {@link Tls#OFF}
 */
public record NodeConfig(String id, Path dataDir, String host, String listenHost, int peerPort, int clientPort,
                         int adminPort, List<Member> members, boolean join, UUID groupId, IoMode ioMode,
                         long snapshotEveryEntries, int electionTimeoutMinMs, int electionTimeoutMaxMs,
                         boolean batching, int maxInFlightEntries, long raftSegmentBytes, long intentSegmentBytes,
                         RequestLimits requestLimits, ReadMode readMode, long readyMaxLagEntries,
                         long spaceQuotaBytes, Tls tls) {
    /** The fixed Raft group id of a Duet cluster (one group per cluster). */
    public static final UUID DEFAULT_GROUP_ID = UUID.fromString("d0e70000-0000-4000-8000-000000000001");

    /** How reads that did not ask to be serializable are served. */
    public enum ReadMode {
        /** Duet's ReadIndex (etcd's ReadOnlySafe), on any member: linearizable. */
        LINEARIZABLE,
        /** Ratis's leader-local reads: a deposed leader answers from stale state. Only for the Jepsen checker. */
        DEFAULT,
        /** The leader's commit index without asking a majority: stale when deposed. Only for the Jepsen checker. */
        UNCONFIRMED_READ_INDEX;

        static ReadMode parse(final String text) {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    /** A member: id, host, Raft port and Duet API port. */
    public record Member(String id, String host, int peerPort, int clientPort) {
        public String peerAddress() {
            return host + ":" + peerPort;
        }

        public String clientAddress() {
            return host + ":" + clientPort;
        }

        /** Parses {@code ID=HOST:PEER_PORT:CLIENT_PORT}. */
        public static Member parse(final String spec) {
            final int eq = spec.indexOf('=');
            final String[] parts = eq < 0 ? new String[0] : spec.substring(eq + 1).split(":");
            if (eq <= 0 || parts.length != 3) {
                throw new IllegalArgumentException("member '" + spec + "' is not ID=HOST:PEER_PORT:CLIENT_PORT");
            }
            return new Member(spec.substring(0, eq), parts[0], ConfigLoader.port(parts[1]),
                ConfigLoader.port(parts[2]));
        }

        @Override
        public String toString() {
            return id + "=" + host + ":" + peerPort + ":" + clientPort;
        }
    }

    /**
     * Limits on one client request, enforced before anything is proposed.
     *
     * @param maxRequestBytes the largest serialized request; at most {@link ReplicaLimits#MAX_ENTRY_BYTES}
     *     so that any accepted request fits in one Raft entry
     */
    public record RequestLimits(int maxKeyBytes, int maxValueBytes, int maxRequestBytes, int maxTxnOps) {
        public RequestLimits {
            if (maxKeyBytes < 1 || maxValueBytes < 0 || maxTxnOps < 1 || maxRequestBytes < 1024
                || maxRequestBytes > ReplicaLimits.MAX_ENTRY_BYTES) {
                throw new IllegalArgumentException("request limits: max-key-bytes " + maxKeyBytes + ", max-value-bytes "
                    + maxValueBytes + ", max-txn-ops " + maxTxnOps + ", max-request-bytes " + maxRequestBytes
                    + ": need key >= 1, value >= 0, txn ops >= 1, 1024 <= request <= " + ReplicaLimits.MAX_ENTRY_BYTES);
            }
        }

        /** The same limits in the form the table's validator checks. */
        public Limits tableLimits() {
            return new Limits(maxKeyBytes, maxValueBytes, maxTxnOps, Limits.DEFAULT_MAX_BATCH_OPS, maxRequestBytes);
        }
    }

    /**
     * TLS settings. With a certificate, both the client and the peer port speak only TLS.
     *
     * @param requireClientCert mutual TLS: clients and peers must present a certificate signed by {@code caFile}
     */
    public record Tls(Path certFile, Path keyFile, Path caFile, boolean requireClientCert) {
        public static final Tls OFF = new Tls(null, null, null, false);

        public Tls {
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("tls-cert-file and tls-key-file go together: set both or neither");
            }
            if (certFile == null && (caFile != null || requireClientCert)) {
                throw new IllegalArgumentException("tls-ca-file and tls-client-auth need tls-cert-file and tls-key-file");
            }
            if (certFile != null && caFile == null) {
                throw new IllegalArgumentException("tls-cert-file needs tls-ca-file: members verify each other's "
                    + "certificates against it (and, with tls-client-auth require, the clients')");
            }
        }

        public boolean enabled() {
            return certFile != null;
        }
    }

    public NodeConfig {
        if (id == null || id.isBlank() || dataDir == null || members == null || members.isEmpty()) {
            throw new IllegalArgumentException("id, data-dir and members are required");
        }
        if (electionTimeoutMinMs < 100 || electionTimeoutMaxMs <= electionTimeoutMinMs) {
            throw new IllegalArgumentException("election-timeout-ms " + electionTimeoutMinMs + ":" + electionTimeoutMaxMs
                + ": need MIN >= 100 and MAX > MIN");
        }
        if (snapshotEveryEntries < 1 || maxInFlightEntries < 1 || readyMaxLagEntries < 0) {
            throw new IllegalArgumentException("snapshot-every and max-in-flight-entries must be >= 1, "
                + "ready-max-lag-entries >= 0");
        }
        if (spaceQuotaBytes < SpaceQuotaSizing.MIN_QUOTA_BYTES) {
            throw new IllegalArgumentException("space-quota-bytes " + spaceQuotaBytes + " is below "
                + SpaceQuotaSizing.MIN_QUOTA_BYTES);
        }
        if (raftSegmentBytes < 64 * 1024) {
            throw new IllegalArgumentException("raft-segment-bytes " + raftSegmentBytes + " is below 65536");
        }
        if (!join && members.stream().noneMatch(m -> m.id().equals(id))) {
            throw new IllegalArgumentException("members must include this node (" + id + ") unless join is set");
        }
        if (adminPort != 0 && (adminPort == peerPort || adminPort == clientPort) || peerPort == clientPort) {
            throw new IllegalArgumentException("peer-port, client-port and admin-port must differ");
        }
        members = List.copyOf(members);
    }

    /** The engine settings this node runs with. */
    public StoreOptions storeOptions() {
        final StoreOptions defaults = StoreOptions.defaults().withIoMode(ioMode);
        return defaults.withIntentWal(defaults.intentWal().withSegmentSizeBytes(intentSegmentBytes));
    }

    /** Parses flags over the environment (and the YAML file they name). */
    public static NodeConfig parse(final String[] args) {
        return ConfigLoader.load(args, System.getenv());
    }
}

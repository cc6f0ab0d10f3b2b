package io.duetdb.server;

import io.duetdb.storage.StoreOptions;
import io.duetdb.storage.io.IoMode;
import io.duetdb.storage.wal.WalOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A node's settings. Parsed from command-line flags by {@link #parse}; every flag is listed in
 * {@link #USAGE} with its default.
 *
 * @param id this member's id (unique in the cluster, stable across restarts)
 * @param dataDir where the node keeps everything: raft/, intent/, completion/, snapshot/
 * @param host the address this node listens on and is reached at
 * @param peerPort Raft (node-to-node) port
 * @param clientPort Duet API port (clients, duetctl and the internal Replica service)
 * @param members the initial cluster (this node included), or the existing members when joining
 * @param join start with an empty group and wait to be added with MemberAdd
 */
public record NodeConfig(String id, Path dataDir, String host, int peerPort, int clientPort, List<Member> members,
                         boolean join, UUID groupId, IoMode ioMode, long snapshotEveryEntries,
                         int electionTimeoutMinMs, int electionTimeoutMaxMs, boolean batching,
                         int maxInFlightEntries, long raftSegmentBytes, long intentSegmentBytes) {
    /** The fixed Raft group id of a Duet cluster (one group per cluster). */
    public static final UUID DEFAULT_GROUP_ID = UUID.fromString("d0e70000-0000-4000-8000-000000000001");
    public static final long DEFAULT_SNAPSHOT_EVERY_ENTRIES = 100_000;
    /** Election timeouts fit for a loaded 2-core machine with JVM pauses (Ratis's own: 150-300 ms). */
    public static final int DEFAULT_ELECTION_TIMEOUT_MIN_MS = 1_000;
    public static final int DEFAULT_ELECTION_TIMEOUT_MAX_MS = 2_000;
    public static final int DEFAULT_MAX_IN_FLIGHT_ENTRIES = 4;
    /** Raft log segment size: small enough that a purge after a snapshot frees space soon. */
    public static final long DEFAULT_RAFT_SEGMENT_BYTES = 8L << 20;

    public static final String USAGE = String.join("\n",
        "duet server flags:",
        "  --id ID                      member id (required)",
        "  --data DIR                   data directory (required)",
        "  --host HOST                  listen and advertise address (default 127.0.0.1)",
        "  --peer-port PORT             Raft port (required)",
        "  --client-port PORT           Duet API port (required)",
        "  --members ID=HOST:PEER:CLIENT,...  initial cluster, this node included (required)",
        "  --join                       start empty and wait for MemberAdd (a new member)",
        "  --io-mode auto|io_uring|filechannel   WAL I/O backend (default auto)",
        "  --snapshot-every N           snapshot after N applied entries (default " + DEFAULT_SNAPSHOT_EVERY_ENTRIES + ")",
        "  --election-timeout-ms MIN:MAX  (default " + DEFAULT_ELECTION_TIMEOUT_MIN_MS + ":"
            + DEFAULT_ELECTION_TIMEOUT_MAX_MS + ")",
        "  --no-batching                one client write per Raft entry (for comparison only)",
        "  --max-in-flight-entries N    Raft entries a node proposes concurrently (default "
            + DEFAULT_MAX_IN_FLIGHT_ENTRIES + ")",
        "  --raft-segment-bytes N       Raft log segment size (default " + DEFAULT_RAFT_SEGMENT_BYTES + ")",
        "  --intent-segment-bytes N     intent WAL segment size, a multiple of 4096 above 4 MiB (default "
            + WalOptions.DEFAULT_SEGMENT_SIZE_BYTES + ")");

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
            return new Member(spec.substring(0, eq), parts[0], port(parts[1], spec), port(parts[2], spec));
        }

        @Override
        public String toString() {
            return id + "=" + host + ":" + peerPort + ":" + clientPort;
        }
    }

    public NodeConfig {
        if (id == null || id.isBlank() || dataDir == null || members == null || members.isEmpty()) {
            throw new IllegalArgumentException("--id, --data and --members are required\n" + USAGE);
        }
        if (electionTimeoutMinMs < 100 || electionTimeoutMaxMs <= electionTimeoutMinMs) {
            throw new IllegalArgumentException("election timeout " + electionTimeoutMinMs + ":" + electionTimeoutMaxMs
                + " ms: need MIN >= 100 and MAX > MIN");
        }
        if (snapshotEveryEntries < 1 || maxInFlightEntries < 1) {
            throw new IllegalArgumentException("--snapshot-every and --max-in-flight-entries must be >= 1");
        }
        if (raftSegmentBytes < 64 * 1024) {
            throw new IllegalArgumentException("--raft-segment-bytes " + raftSegmentBytes + " is below 65536");
        }
        if (!join && members.stream().noneMatch(m -> m.id().equals(id))) {
            throw new IllegalArgumentException("--members must include this node (" + id + ") unless --join is given");
        }
        members = List.copyOf(members);
    }

    /** The engine settings this node runs with. */
    public StoreOptions storeOptions() {
        final StoreOptions defaults = StoreOptions.defaults().withIoMode(ioMode);
        final WalOptions intent = defaults.intentWal();
        return defaults.withIntentWal(new WalOptions(intentSegmentBytes, intent.ringCapacityBytes(),
            intent.maxBodyBytes(), intent.syncPolicy()));
    }

    private static int port(final String text, final String context) {
        try {
            final int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' in '" + context + "' is not a port (1..65535)");
        }
    }

    /** Parses command-line flags. */
    public static NodeConfig parse(final String[] args) {
        String id = null;
        Path data = null;
        String host = "127.0.0.1";
        int peerPort = -1;
        int clientPort = -1;
        final List<Member> members = new ArrayList<>();
        boolean join = false;
        IoMode ioMode = IoMode.AUTO;
        long snapshotEvery = DEFAULT_SNAPSHOT_EVERY_ENTRIES;
        int electionMin = DEFAULT_ELECTION_TIMEOUT_MIN_MS;
        int electionMax = DEFAULT_ELECTION_TIMEOUT_MAX_MS;
        boolean batching = true;
        int inFlight = DEFAULT_MAX_IN_FLIGHT_ENTRIES;
        long raftSegmentBytes = DEFAULT_RAFT_SEGMENT_BYTES;
        long intentSegmentBytes = WalOptions.DEFAULT_SEGMENT_SIZE_BYTES;
        for (int i = 0; i < args.length; i++) {
            final String flag = args[i];
            switch (flag) {
                case "--join" -> join = true;
                case "--no-batching" -> batching = false;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("flag " + flag + " needs a value\n" + USAGE);
                    }
                    final String v = args[++i];
                    switch (flag) {
                        case "--id" -> id = v;
                        case "--data" -> data = Path.of(v);
                        case "--host" -> host = v;
                        case "--peer-port" -> peerPort = port(v, flag);
                        case "--client-port" -> clientPort = port(v, flag);
                        case "--members" -> {
                            for (final String m : v.split(",")) {
                                members.add(Member.parse(m.trim()));
                            }
                        }
                        case "--io-mode" -> ioMode = IoMode.parse(v);
                        case "--snapshot-every" -> snapshotEvery = Long.parseLong(v);
                        case "--election-timeout-ms" -> {
                            final String[] mm = v.split(":");
                            if (mm.length != 2) {
                                throw new IllegalArgumentException("--election-timeout-ms wants MIN:MAX, got " + v);
                            }
                            electionMin = Integer.parseInt(mm[0]);
                            electionMax = Integer.parseInt(mm[1]);
                        }
                        case "--max-in-flight-entries" -> inFlight = Integer.parseInt(v);
                        case "--raft-segment-bytes" -> raftSegmentBytes = Long.parseLong(v);
                        case "--intent-segment-bytes" -> intentSegmentBytes = Long.parseLong(v);
                        default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
                    }
                }
            }
        }
        if (peerPort < 0 || clientPort < 0) {
            throw new IllegalArgumentException("--peer-port and --client-port are required\n" + USAGE);
        }
        return new NodeConfig(id, data, host, peerPort, clientPort, members, join, DEFAULT_GROUP_ID, ioMode,
            snapshotEvery, electionMin, electionMax, batching, inFlight, raftSegmentBytes, intentSegmentBytes);
    }
}

package io.duetdb.server.config;

import io.duetdb.storage.table.Limits;
import io.duetdb.storage.wal.WalOptions;
import java.util.Locale;

/**
 * Every node setting, named once: the YAML key is {@link #key}, the flag is {@code --key} and the
 * environment variable is {@code DUET_KEY} (upper case, dashes as underscores). Later sources win:
 * default, then the YAML file, then the environment, then flags. docs/configuration.md lists the
 * same table.
 */
public enum Setting {
    ID("id", null, "this member's id: unique in the cluster, stable across restarts (required)"),
    DATA_DIR("data-dir", null, "where the node keeps raft/, intent/, completion/, snapshot/ (required)"),
    HOST("host", "127.0.0.1", "the address other members and clients reach this node at"),
    LISTEN_HOST("listen-host", null, "the address to bind (default: host; 0.0.0.0 in containers)"),
    PEER_PORT("peer-port", null, "Raft (node-to-node) port (required)"),
    CLIENT_PORT("client-port", null, "Duet API port: clients, duetctl, the internal Replica service (required)"),
    ADMIN_PORT("admin-port", "0", "HTTP port for /metrics, /livez and /readyz (0: no admin endpoint)"),
    MEMBERS("members", null, "initial cluster, this node included: ID=HOST:PEER_PORT:CLIENT_PORT,... (required)"),
    JOIN("join", "false", "start empty and wait to be added with MemberAdd (a new member)"),
    IO_MODE("io-mode", "auto", "WAL I/O backend: auto, io_uring or filechannel"),
    SNAPSHOT_EVERY("snapshot-every", "100000", "take a snapshot after this many applied entries"),
    ELECTION_TIMEOUT_MS("election-timeout-ms", "1000:2000", "Raft election timeout range MIN:MAX"),
    BATCHING("batching", "true", "batch concurrent writes into one Raft entry (false: for comparison only)"),
    MAX_IN_FLIGHT_ENTRIES("max-in-flight-entries", "4", "Raft entries this node proposes concurrently"),
    RAFT_SEGMENT_BYTES("raft-segment-bytes", String.valueOf(8L << 20), "Raft log segment size"),
    INTENT_SEGMENT_BYTES("intent-segment-bytes", String.valueOf(WalOptions.DEFAULT_SEGMENT_SIZE_BYTES),
        "intent WAL segment size: a multiple of 4096, at least 4 MiB"),
    MAX_KEY_BYTES("max-key-bytes", String.valueOf(Limits.DEFAULT_MAX_KEY_BYTES), "largest key"),
    MAX_VALUE_BYTES("max-value-bytes", String.valueOf(Limits.DEFAULT_MAX_VALUE_BYTES), "largest value"),
    MAX_REQUEST_BYTES("max-request-bytes", String.valueOf(2 << 20), "largest request message (at most 3 MiB)"),
    MAX_TXN_OPS("max-txn-ops", String.valueOf(Limits.DEFAULT_MAX_OPS_PER_TXN),
        "most compares, and most ops per branch, of one transaction"),
    READ_OPTION("read-option", "linearizable", "linearizable (Duet's ReadIndex, on any member); default (Ratis's "
        + "leader-local reads) and unconfirmed-read-index (the read index without asking a majority) are NOT "
        + "linearizable under partitions: only for showing that the Jepsen checker catches stale reads"),
    SPACE_QUOTA_BYTES("space-quota-bytes", SpaceQuotaSizing.AUTO, "bytes the replicated store may hold (keys, "
        + "values, per-key overhead, sessions); past it writes that add bytes get RESOURCE_EXHAUSTED. auto: "
        + SpaceQuotaSizing.DEFAULT_PERCENT_OF_HEAP + "% of the max heap; at most "
        + SpaceQuotaSizing.MAX_PERCENT_OF_HEAP + "%. Set the same on every member"),
    READY_MAX_LAG_ENTRIES("ready-max-lag-entries", "1000",
        "a node is ready (/readyz, gRPC health) when it applied to within this many entries of the leader's commit index"),
    TLS_CERT_FILE("tls-cert-file", null, "PEM certificate chain: turns TLS on for the client and peer ports"),
    TLS_KEY_FILE("tls-key-file", null, "PEM PKCS#8 private key of tls-cert-file"),
    TLS_CA_FILE("tls-ca-file", null, "PEM CA bundle trusted for client certificates and for peers"),
    TLS_CLIENT_AUTH("tls-client-auth", "none", "none or require: require a client certificate signed by tls-ca-file");

    /** The YAML key and flag name (without dashes in front). */
    public final String key;
    /** The default as text; null when there is none. */
    public final String defaultValue;
    public final String description;

    Setting(final String key, final String defaultValue, final String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String flag() {
        return "--" + key;
    }

    public String envVar() {
        return "DUET_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Setting of a YAML key or flag name, or null. */
    static Setting byKey(final String key) {
        for (final Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** The usage text: every setting with its flag, variable and default. */
    public static String usage() {
        final StringBuilder b = new StringBuilder("duet server settings (YAML key / --flag / DUET_ENV_VAR; flags win):\n"
            + "  --config FILE (DUET_CONFIG)   a YAML file of the settings below\n");
        for (final Setting s : values()) {
            b.append(String.format("  %-28s %s%s%n", s.flag() + (s.isBoolean() ? "" : " V"), s.description,
                s.defaultValue == null ? "" : " [default " + s.defaultValue + "]"));
        }
        return b.append("  --no-batching                same as --batching false\n").toString();
    }

    boolean isBoolean() {
        return this == JOIN || this == BATCHING;
    }
}

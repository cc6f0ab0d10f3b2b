package io.duetdb.server.admin;

import java.util.Map;

/**
 * The families Duet registers, with their HELP texts: the one place to look up a name. Families
 * with labels are registered once per label set (see {@link MetricName#of}). Units are in the
 * names (seconds, bytes); {@code _total} marks counters.
 */
public final class DuetMetricNames {
    // gRPC API (GrpcServerMetricsInterceptor)
    public static final String GRPC_HANDLED = "duet_grpc_server_handled_total";
    public static final String GRPC_LATENCY = "duet_grpc_server_latency_seconds";
    public static final String GRPC_IN_FLIGHT = "duet_grpc_server_in_flight";

    // write entries (WriteEntryMetrics)
    public static final String ENTRY_WRITES = "duet_write_entry_writes";
    public static final String ENTRY_BYTES = "duet_write_entry_bytes";
    public static final String ENTRY_LATENCY = "duet_write_entry_latency_seconds";
    public static final String ENTRIES_FAILED = "duet_write_entries_failed_total";

    // the two logs, label log="intent"|"completion" (WalGauges)
    public static final String WAL_RECORDS = "duet_wal_appended_records_total";
    public static final String WAL_BYTES = "duet_wal_appended_bytes_total";
    public static final String WAL_WRITES = "duet_wal_writes_total";
    public static final String WAL_SYNCS = "duet_wal_syncs_total";
    public static final String WAL_SYNC_SECONDS = "duet_wal_sync_seconds_total";
    public static final String WAL_SYNC_AVERAGE = "duet_wal_sync_average_seconds";
    public static final String WAL_BACKPRESSURE = "duet_wal_backpressure_waits_total";
    public static final String WAL_QUEUED_BYTES = "duet_wal_queued_bytes";
    public static final String WAL_SEGMENTS = "duet_wal_segments";
    public static final String WAL_DISK_BYTES = "duet_wal_disk_bytes";
    public static final String WAL_FAILED = "duet_wal_failed";
    public static final String WAL_SYNC_LATENCY = "duet_wal_sync_latency_seconds";

    // the replica (ReplicaGauges)
    public static final String RAFT_TERM = "duet_raft_term";
    public static final String RAFT_COMMIT_INDEX = "duet_raft_commit_index";
    public static final String RAFT_APPLIED_INDEX = "duet_raft_applied_index";
    public static final String RAFT_LEADER_KNOWN = "duet_raft_leader_known";
    public static final String RAFT_IS_LEADER = "duet_raft_is_leader";
    public static final String KEYS = "duet_keys";
    public static final String REPLICA_FAILED = "duet_replica_failed";
    public static final String RECOVERY_SECONDS = "duet_recovery_seconds";

    // the space quota (SpaceGauges)
    public static final String SPACE_USED_BYTES = "duet_space_used_bytes";
    public static final String SPACE_QUOTA_BYTES = "duet_space_quota_bytes";
    public static final String SPACE_ALARM = "duet_space_alarm";
    public static final String SPACE_REFUSED = "duet_space_refused_writes_total";

    /** Registered by DuetStateMachine.newRepairCounter. */
    public static final String REPAIRED_INTENTS = "duet_repaired_intents_total";

    private static final Map<String, String> HELP = Map.ofEntries(
        Map.entry(GRPC_HANDLED, "gRPC calls completed on the API server, by full method name and status code"),
        Map.entry(GRPC_LATENCY, "gRPC call duration on the API server from start to close, by full method name"),
        Map.entry(GRPC_IN_FLIGHT, "gRPC calls started on the API server and not completed yet"),
        Map.entry(ENTRY_WRITES, "Client writes per Raft entry proposed by the write batcher"),
        Map.entry(ENTRY_BYTES, "Size of each Raft entry proposed by the write batcher (header and payload)"),
        Map.entry(ENTRY_LATENCY, "Time from proposing a batched entry to its outcome (commit and apply, or failure)"),
        Map.entry(ENTRIES_FAILED, "Batched entries whose proposal failed"),
        Map.entry(WAL_RECORDS, "Records appended to the log"),
        Map.entry(WAL_BYTES, "Bytes appended to the log"),
        Map.entry(WAL_WRITES, "Write calls the log issued (group commit: several records per write)"),
        Map.entry(WAL_SYNCS, "fdatasync calls the log completed"),
        Map.entry(WAL_SYNC_SECONDS, "Total time spent in the log's completed fdatasync calls; "
            + "rate(duet_wal_sync_seconds_total) / rate(duet_wal_syncs_total) is the mean fsync latency"),
        Map.entry(WAL_SYNC_AVERAGE, "Mean fdatasync latency of the log since the node started"),
        Map.entry(WAL_BACKPRESSURE, "Times an appender waited for room in the log's group-commit buffer"),
        Map.entry(WAL_QUEUED_BYTES, "Bytes waiting in the log's group-commit buffer"),
        Map.entry(WAL_SEGMENTS, "Segment files of the log"),
        Map.entry(WAL_DISK_BYTES, "Disk space taken by the log's segment files"),
        Map.entry(WAL_FAILED, "1 when the log has failed (the replica stops serving), else 0"),
        Map.entry(WAL_SYNC_LATENCY, "Latency of each write+fdatasync of the log (quantiles over about "
            + "the last five minutes)"),
        Map.entry(RAFT_TERM, "Current Raft term of this member"),
        Map.entry(RAFT_COMMIT_INDEX, "Highest Raft log index this member knows to be committed"),
        Map.entry(RAFT_APPLIED_INDEX, "Highest Raft log index applied to this member's state machine"),
        Map.entry(RAFT_LEADER_KNOWN, "1 when this member knows a leader, else 0"),
        Map.entry(RAFT_IS_LEADER, "1 when this member is the leader, else 0"),
        Map.entry(KEYS, "Keys in this replica's table"),
        Map.entry(REPLICA_FAILED, "1 when this replica has stopped serving after a failure, else 0"),
        Map.entry(RECOVERY_SECONDS, "How long this replica took to open its storage at startup: scan both logs, "
            + "load the newest checkpoint, replay the intents after it"),
        Map.entry(SPACE_USED_BYTES, "Bytes the replicated store costs (keys, values, per-key overhead, sessions), "
            + "as every member computes it from the log"),
        Map.entry(SPACE_QUOTA_BYTES, "This member's space quota (space-quota-bytes)"),
        Map.entry(SPACE_ALARM, "1 while the space alarm is on: writes that add bytes are refused until usage is at "
            + "most 95% of the quota, else 0"),
        Map.entry(SPACE_REFUSED, "Writes refused for space, by where: stage=\"propose\" (this member, before "
            + "proposing) or stage=\"apply\" (at apply; every member counts the same ones)"),
        Map.entry(REPAIRED_INTENTS, "Intents this replica repaired from other replicas"));

    private DuetMetricNames() {
    }

    /** The HELP text of a family, or null if it is not one of Duet's. */
    public static String help(final String family) {
        return HELP.get(family);
    }
}

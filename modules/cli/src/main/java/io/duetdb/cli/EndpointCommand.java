package io.duetdb.cli;

import io.duetdb.client.DuetClient;
import io.duetdb.client.DuetException;
import io.duetdb.client.Member;
import io.duetdb.client.NodeStatus;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "endpoint", mixinStandardHelpOptions = true,
    description = "Status and health of each endpoint (--cluster: of every member).")
final class EndpointCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cluster", scope = CommandLine.ScopeType.INHERIT,
        description = "ask every member (from the member list), not just --endpoints")
    boolean cluster;

    @Command(name = "status", mixinStandardHelpOptions = true, description = {
        "One row per endpoint: member id, leader, term, indexes, keys, memory, space used of the quota, WAL bytes, I/O backend, latency (of a second call, once connected), errors and alarms (NOSPACE: the space quota refuses writes).",
        "Exit code 1 if any endpoint did not answer."})
    int status() {
        final GlobalOptions global = GlobalOptions.of(spec);
        final List<Object> json = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        boolean allOk = true;
        try (DuetClient client = global.client(spec, targets(global))) {
            for (final String endpoint : client.endpoints()) {
                try {
                    // The first call pays for the connection and class loading; time the second.
                    client.cluster().status(endpoint);
                    final long startNs = System.nanoTime();
                    final NodeStatus s = client.cluster().status(endpoint);
                    final double tookMs = (System.nanoTime() - startNs) / 1e6;
                    json.add(Views.map("endpoint", endpoint, "member_id", s.memberId(), "leader_id", s.leaderId(),
                        "is_leader", s.isLeader(), "raft_term", s.raftTerm(), "commit_index", s.commitIndex(),
                        "applied_index", s.appliedIndex(), "keys", s.keyCount(), "digest", Long.toHexString(s.digest()),
                        "memory_used_bytes", s.memoryUsedBytes(), "wal_bytes", s.walBytes(), "io_backend",
                        s.ioBackend(), "api_transport", s.apiTransport(), "tls", s.tls(), "snapshot_index",
                        s.snapshotIndex(), "repaired_intents", s.repairedIntents(), "failure", s.failure(),
                        "space_used_bytes", s.spaceUsedBytes(), "space_quota_bytes", s.spaceQuotaBytes(),
                        "alarms", s.alarms(), "vote_guard", s.voteGuard(), "leader_commit_index", s.leaderCommitIndex(),
                        "not_ready", s.notReady(), "raft_log_findings", s.raftLogFindings(), "took_ms", tookMs,
                        "error", null));
                    rows.add(List.of(endpoint, s.memberId(), Boolean.toString(s.isLeader()), Long.toString(s.raftTerm()),
                        Long.toString(s.commitIndex()), Long.toString(s.appliedIndex()), Long.toString(s.keyCount()),
                        Sizes.human(s.memoryUsedBytes()), space(s), Sizes.human(s.walBytes()), s.ioBackend(),
                        String.format("%.1f ms", tookMs), errors(s)));
                    allOk &= s.healthy();
                } catch (final DuetException e) {
                    allOk = false;
                    json.add(Views.map("endpoint", endpoint, "error", e.getMessage()));
                    rows.add(List.of(endpoint, "", "", "", "", "", "", "", "", "", "", "", e.code().toString()));
                }
            }
        }
        global.output(spec, OutputFormat.table).print(json, new Output.Table(List.of("ENDPOINT", "ID", "IS LEADER",
            "TERM", "COMMIT", "APPLIED", "KEYS", "MEMORY", "SPACE", "WAL", "IO BACKEND", "LATENCY", "ERRORS"), rows));
        return allOk ? DuetCtl.EXIT_OK : DuetCtl.EXIT_ERROR;
    }

    /** "12 MiB / 409 MiB (3%)": the space quota's usage. */
    private static String space(final NodeStatus s) {
        return s.spaceQuotaBytes() == 0 ? Sizes.human(s.spaceUsedBytes())
            : Sizes.human(s.spaceUsedBytes()) + " / " + Sizes.human(s.spaceQuotaBytes()) + " ("
                + 100 * s.spaceUsedBytes() / s.spaceQuotaBytes() + "%)";
    }

    /** The failure and the alarms, as etcdctl shows them: "alarm:NOSPACE". */
    private static String errors(final NodeStatus s) {
        final List<String> parts = new ArrayList<>();
        if (!s.failure().isEmpty()) {
            parts.add(s.failure());
        }
        s.alarms().forEach(a -> parts.add("alarm:" + a));
        if (!s.notReady().isEmpty()) {
            parts.add("not ready: " + s.notReady());
        }
        if (!s.voteGuard().isEmpty()) {
            parts.add("not voting: " + s.voteGuard());
        }
        return String.join(", ", parts);
    }

    @Command(name = "health", mixinStandardHelpOptions = true, description = {
        "Whether each endpoint serves (gRPC health: SERVING once it knows a leader and has caught up).",
        "Exit code 1 if any is unhealthy."})
    int health() {
        final GlobalOptions global = GlobalOptions.of(spec);
        final List<Object> json = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        boolean allHealthy = true;
        try (DuetClient client = global.client(spec, targets(global))) {
            for (final String endpoint : client.endpoints()) {
                final long startNs = System.nanoTime();
                String error = "";
                boolean healthy;
                try {
                    final HealthCheckResponse r = HealthGrpc.newBlockingStub(client.channel(endpoint))
                        .withDeadlineAfter(global.timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
                    healthy = r.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
                    if (!healthy) {
                        error = "status " + r.getStatus() + " (not caught up, or no leader known)";
                    }
                } catch (final StatusRuntimeException e) {
                    healthy = false;
                    error = e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                        : ": " + e.getStatus().getDescription());
                }
                final double tookMs = (System.nanoTime() - startNs) / 1e6;
                allHealthy &= healthy;
                json.add(Views.map("endpoint", endpoint, "health", healthy, "took_ms", tookMs, "error", error));
                rows.add(List.of(endpoint, Boolean.toString(healthy), String.format("%.1f ms", tookMs), error));
                lines.add(endpoint + " is " + (healthy ? "healthy" : "unhealthy") + String.format(": took %.1f ms", tookMs)
                    + (error.isEmpty() ? "" : ", error: " + error));
            }
        }
        global.output(spec, OutputFormat.table).print(json,
            new Output.Table(List.of("ENDPOINT", "HEALTH", "TOOK", "ERROR"), rows), lines);
        return allHealthy ? DuetCtl.EXIT_OK : DuetCtl.EXIT_ERROR;
    }

    /** With --cluster, every member's client address (asked through --endpoints); else null (--endpoints). */
    private List<String> targets(final GlobalOptions global) {
        if (!cluster) {
            return null;
        }
        try (DuetClient client = global.client(spec)) {
            return client.cluster().memberList().members().stream().map(Member::clientAddress).toList();
        }
    }
}

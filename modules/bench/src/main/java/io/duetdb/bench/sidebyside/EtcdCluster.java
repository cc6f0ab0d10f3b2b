package io.duetdb.bench.sidebyside;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * etcd, 3 members on loopback with etcd's default settings (each member fsyncs its WAL before it
 * acknowledges, so an answered put is on disk on a quorum, as in Duet). duet-bench is given the
 * leader's endpoint only: the equivalent of etcd's benchmark {@code --target-leader}, and of the
 * Duet client, which sends writes to the leader.
 */
final class EtcdCluster implements SystemUnderTest {
    private static final int MEMBERS = 3;
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long POLL_INTERVAL_MS = 200;

    private final List<ManagedProcess> members = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int leaderIndex = -1;

    private EtcdCluster() {
    }

    static EtcdCluster start(final String etcdBinary, final Path dataDir, final Path logDir)
        throws IOException, InterruptedException {
        final EtcdCluster cluster = new EtcdCluster();
        try {
            final List<Integer> peerPorts = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                peerPorts.add(Ports.free());
                cluster.clientPorts.add(Ports.free());
            }
            final String initial = java.util.stream.IntStream.range(0, MEMBERS)
                .mapToObj(i -> "m" + (i + 1) + "=http://127.0.0.1:" + peerPorts.get(i)).collect(Collectors.joining(","));
            for (int i = 0; i < MEMBERS; i++) {
                final String name = "m" + (i + 1);
                final String client = "http://127.0.0.1:" + cluster.clientPorts.get(i);
                final String peer = "http://127.0.0.1:" + peerPorts.get(i);
                cluster.members.add(ManagedProcess.start("etcd " + name, List.of(etcdBinary, "--name", name,
                    "--data-dir", dataDir.resolve(name).toString(), "--listen-client-urls", client,
                    "--advertise-client-urls", client, "--listen-peer-urls", peer,
                    "--initial-advertise-peer-urls", peer, "--initial-cluster", initial,
                    "--initial-cluster-state", "new", "--initial-cluster-token", "duet-bench", "--logger", "zap"),
                    logDir.resolve("etcd-" + name + ".log")));
            }
            cluster.awaitLeader();
            return cluster;
        } catch (final IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Waits until a member says it is the leader (through etcd's JSON gateway: no etcdctl needed). */
    private void awaitLeader() throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            checkAlive();
            for (int i = 0; i < MEMBERS; i++) {
                final JsonObject status = status(clientPorts.get(i));
                if (status != null && status.has("leader") && status.has("header")
                    && status.get("leader").getAsString().equals(
                        status.getAsJsonObject("header").get("member_id").getAsString())) {
                    leaderIndex = i;
                    return;
                }
            }
            Thread.sleep(POLL_INTERVAL_MS); // polling a process we do not control
        }
        throw new IllegalStateException("etcd elected no leader within " + READY_TIMEOUT_MS + " ms; see etcd-m*.log");
    }

    private JsonObject status(final int port) throws InterruptedException {
        try {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v3/maintenance/status")).timeout(Duration.ofSeconds(2))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JsonParser.parseString(r.body()).getAsJsonObject() : null;
        } catch (final IOException | RuntimeException e) {
            return null; // not up yet
        }
    }

    /** The leader's status as etcd reports it (for the run log), or an empty string. */
    String leaderStatus() throws InterruptedException {
        final JsonObject s = leaderIndex < 0 ? null : status(clientPorts.get(leaderIndex));
        return s == null ? "" : s.toString();
    }

    /** The first line of {@code etcd --version}. */
    static String version(final String etcdBinary) {
        try {
            final Process p = new ProcessBuilder(etcdBinary, "--version").redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("unknown");
        } catch (final IOException e) {
            return "not runnable: " + e.getMessage();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public List<String> endpoints() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    @Override
    public List<String> endpoints(final ClusterWorkload.Member member) throws InterruptedException {
        awaitLeader(); // the leader may have changed since the last trial
        final int index = member == ClusterWorkload.Member.FOLLOWER ? (leaderIndex + 1) % MEMBERS : leaderIndex;
        return List.of("127.0.0.1:" + clientPorts.get(index));
    }

    @Override
    public void checkAlive() {
        members.forEach(ManagedProcess::checkAlive);
    }

    @Override
    public List<Long> pids() {
        return members.stream().map(ManagedProcess::pid).toList();
    }

    @Override
    public void close() throws InterruptedException {
        for (final ManagedProcess m : members) {
            m.close();
        }
    }
}

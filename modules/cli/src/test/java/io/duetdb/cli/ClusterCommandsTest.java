package io.duetdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.duetdb.server.testing.ClusterFixture;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every online command against a real 3-process cluster; JSON output parsed and checked. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCommandsTest {
    @TempDir
    static Path root;

    private ClusterFixture cluster;
    private String endpoints;

    @BeforeAll
    void start() throws Exception {
        cluster = new ClusterFixture(root, 3);
        cluster.startAll();
        cluster.awaitLeader(cluster.ids());
        endpoints = String.join(",", cluster.clientEndpoints());
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    private Cli ctl(final String... args) {
        final String[] all = new String[args.length + 2];
        all[0] = "--endpoints";
        all[1] = endpoints;
        System.arraycopy(args, 0, all, 2, args.length);
        final Cli r = Cli.run(all);
        assertEquals(0, r.exitCode(), List.of(args) + ": " + r);
        return r;
    }

    @Test
    void putGetDeleteInEveryFormat() {
        assertEquals("OK\n", ctl("put", "kv/a", "1").out());
        ctl("put", "kv/b", "2");
        final JsonObject put = ctl("put", "kv/c", "3", "--prev-kv", "-w", "json").json().getAsJsonObject();
        assertTrue(put.get("prev_kv").isJsonNull(), put.toString());
        assertTrue(put.getAsJsonObject("header").get("revision").getAsLong() > 0, put.toString());
        final JsonObject replaced = ctl("put", "kv/c", "33", "--prev-kv", "-w", "json").json().getAsJsonObject();
        assertEquals("3", replaced.getAsJsonObject("prev_kv").get("value").getAsString());

        assertEquals("kv/a\n1\n", ctl("get", "kv/a").out());
        final JsonObject range = ctl("get", "kv/", "--prefix", "-w", "json").json().getAsJsonObject();
        assertEquals(3, range.get("count").getAsLong());
        final JsonArray kvs = range.getAsJsonArray("kvs");
        assertEquals(List.of("kv/a", "kv/b", "kv/c"), keys(kvs));
        assertEquals("33", kvs.get(2).getAsJsonObject().get("value").getAsString());
        assertEquals(2, kvs.get(2).getAsJsonObject().get("version").getAsLong());

        final JsonObject limited = ctl("get", "--from", "kv/b", "--to", "kv/z", "--limit", "1", "--serializable",
            "-w", "json").json().getAsJsonObject();
        assertEquals(List.of("kv/b"), keys(limited.getAsJsonArray("kvs")));
        assertTrue(limited.get("more").getAsBoolean(), limited.toString());
        assertEquals("kv/a\nkv/b\nkv/c\n", ctl("get", "kv/", "--prefix", "--keys-only").out());
        assertTrue(ctl("get", "kv/", "--prefix", "-w", "table").out().contains("| kv/b | 2     |"));

        assertEquals("1\n", ctl("del", "kv/a").out());
        final JsonObject deleted = ctl("del", "kv/", "--prefix", "--prev-kv", "-w", "json").json().getAsJsonObject();
        assertEquals(2, deleted.get("deleted").getAsLong());
        assertEquals(List.of("kv/b", "kv/c"), keys(deleted.getAsJsonArray("prev_kvs")));
        assertEquals("", ctl("get", "kv/a").out());
    }

    @Test
    void txnCompareAndSwap() {
        ctl("put", "lock", "free");
        final JsonObject won = ctl("txn", "--if", "value(lock) = free", "--then", "put lock me", "--then", "get lock",
            "--else", "get lock", "-w", "json").json().getAsJsonObject();
        assertTrue(won.get("succeeded").getAsBoolean(), won.toString());
        final JsonArray results = won.getAsJsonArray("results");
        assertEquals("put", results.get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("me", results.get(1).getAsJsonObject().getAsJsonArray("kvs").get(0).getAsJsonObject()
            .get("value").getAsString());
        assertEquals("FAILURE\nlock\nme\n", ctl("txn", "--if", "value(lock) = free", "--then", "put lock you",
            "--else", "get lock").out());
        assertEquals("lock\nme\n", ctl("get", "lock").out());
    }

    @Test
    void membersAndEndpoints() {
        final JsonArray members = ctl("member", "list", "-w", "json").json().getAsJsonObject().getAsJsonArray("members");
        assertEquals(Set.copyOf(cluster.ids()), ids(members, "id"));
        long leaders = 0;
        for (final JsonElement m : members) {
            leaders += m.getAsJsonObject().get("leader").getAsBoolean() ? 1 : 0;
            final String id = m.getAsJsonObject().get("id").getAsString();
            assertEquals(cluster.clientEndpoint(id),
                m.getAsJsonObject().get("client_address").getAsString());
        }
        assertEquals(1, leaders, members.toString());

        final JsonArray status = ctl("endpoint", "status", "-w", "json").json().getAsJsonArray();
        assertEquals(Set.copyOf(cluster.ids()), ids(status, "member_id"));
        for (final JsonElement e : status) {
            final JsonObject s = e.getAsJsonObject();
            assertTrue(s.get("error").isJsonNull(), s.toString());
            assertTrue(s.get("applied_index").getAsLong() > 0 && s.get("raft_term").getAsLong() > 0, s.toString());
            assertFalse(s.get("io_backend").getAsString().isEmpty(), s.toString());
        }
        final String table = ctl("endpoint", "status", "-w", "table").out();
        for (final String id : cluster.ids()) {
            assertTrue(table.contains("| " + id + " "), table);
        }

        // --cluster finds every member from one endpoint.
        final String one = cluster.clientEndpoint(cluster.ids().get(0));
        final Cli health = Cli.run("--endpoints", one, "endpoint", "health", "--cluster", "-w", "json");
        assertEquals(0, health.exitCode(), health.toString());
        assertEquals(3, health.json().getAsJsonArray().size());
        for (final JsonElement e : health.json().getAsJsonArray()) {
            assertTrue(e.getAsJsonObject().get("health").getAsBoolean(), e.toString());
        }
    }

    @Test
    void moveLeaderThereAndAway() throws Exception {
        final String leader = cluster.awaitLeader(cluster.ids());
        final String target = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        assertEquals("leader is now " + target + "\n", ctl("move-leader", target).out());
        cluster.await("the new leader known everywhere", () -> cluster.ids().stream().allMatch(id -> {
            final var s = cluster.statusOrNull(id);
            return s != null && target.equals(s.getLeaderId());
        }));

        final String targetEndpoint = cluster.clientEndpoint(target);
        final Cli away = Cli.run("--endpoints", targetEndpoint, "move-leader", "--away", "-w", "json");
        assertEquals(0, away.exitCode(), away.toString());
        assertTrue(away.json().getAsJsonObject().get("moved").getAsBoolean(), away.toString());
        assertFalse(target.equals(away.json().getAsJsonObject().get("leader_id").getAsString()), away.toString());

        final Cli nothing = Cli.run("--endpoints", targetEndpoint, "move-leader", "--away", "-w", "json");
        assertEquals(0, nothing.exitCode(), nothing.toString());
        assertFalse(nothing.json().getAsJsonObject().get("moved").getAsBoolean(), nothing.toString());
    }

    @Test
    void checkPerfGivesAVerdictAndCleansUp() {
        final Cli r = Cli.run("--endpoints", endpoints, "check", "perf", "--seconds", "2", "-w", "json");
        final JsonObject o = r.json().getAsJsonObject();
        assertEquals(o.get("pass").getAsBoolean() ? 0 : 1, r.exitCode(), r.toString());
        assertTrue(o.get("writes").getAsLong() > 0, o.toString());
        assertEquals("0\n", ctl("get", "/duetctl-check-perf/", "--prefix", "--count-only").out());
    }

    @Test
    void completionScriptNamesTheCommands() {
        final String script = ctl("completion").out();
        assertTrue(script.contains("duetctl") && script.contains("move-leader") && script.contains("snapshot"),
            script.substring(0, Math.min(300, script.length())));
    }

    private static List<String> keys(final JsonArray kvs) {
        final List<String> out = new java.util.ArrayList<>();
        kvs.forEach(kv -> out.add(kv.getAsJsonObject().get("key").getAsString()));
        return out;
    }

    private static Set<String> ids(final JsonArray items, final String field) {
        final Set<String> out = new HashSet<>();
        items.forEach(i -> out.add(i.getAsJsonObject().get(field).getAsString()));
        return out;
    }
}

package io.duetdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.server.testing.ClusterFixture;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Every operation of the client against a real 3-node cluster: reads with each option, writes
 * with previous values, transactions on each compare target and both branches, membership,
 * status and leadership, and how refused requests surface. The test methods use disjoint keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisabledIfSystemProperty(named = "duet.skipSlowTests", matches = "true")
class ClientApiTest {
    private Path root;
    private ClusterFixture cluster;
    private DuetClient client;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("duet-client-api-test");
        cluster = new ClusterFixture(root, 3);
        cluster.startAll();
        cluster.awaitLeader(cluster.ids());
        client = DuetClient.builder().endpoints(cluster.clientEndpoints())
            .requestTimeout(Duration.ofSeconds(60)).attemptTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        cluster.close();
    }


    private static String value(final KeyValue kv) {
        return kv.value().toStringUtf8();
    }

    private static List<String> keys(final RangeResult r) {
        return r.kvs().stream().map(kv -> kv.key().toStringUtf8()).toList();
    }

    @Test
    void readsWithEveryOption() throws Exception {
        final KvClient kv = client.kv();
        for (int i = 1; i <= 5; i++) {
            kv.put("read/" + i, "v" + i);
        }
        kv.put("reae", "outside the prefix");

        final KeyValue three = kv.get("read/3").orElseThrow();
        assertEquals("v3", value(three));
        assertEquals(1, three.version());
        assertTrue(kv.get("read/none").isEmpty());

        assertEquals(List.of("read/2", "read/3"), keys(kv.range("read/2", "read/4")));
        final RangeResult prefix = kv.prefix("read/");
        assertEquals(List.of("read/1", "read/2", "read/3", "read/4", "read/5"), keys(prefix));
        assertEquals(5, prefix.count());
        assertFalse(prefix.more());
        assertTrue(prefix.header().revision() >= three.modRevision());

        final RangeQuery firstTwo = RangeQuery.prefix("read/").limit(2);
        final RangeResult page = kv.range(firstTwo);
        assertEquals(List.of("read/1", "read/2"), keys(page));
        assertTrue(page.more());
        assertEquals(5, page.count());
        assertEquals(List.of("read/3", "read/4"), keys(kv.range(firstTwo.after(page))));

        final RangeResult keysOnly = kv.range(RangeQuery.prefix("read/").keysOnly());
        assertEquals(5, keysOnly.kvs().size());
        assertTrue(keysOnly.kvs().stream().allMatch(k -> k.value().isEmpty()), "keys only: no values");

        final RangeResult countOnly = kv.range(RangeQuery.prefix("read/").countOnly());
        assertEquals(5, countOnly.count());
        assertTrue(countOnly.kvs().isEmpty());

        // Linearizable reads and status() go to the leader (awaited: an election may move it meanwhile).
        cluster.await("a linearizable read served by the leader", () -> {
            final NodeStatus leader = client.cluster().status();
            return leader.isLeader() && leader.memberId().equals(kv.range(RangeQuery.key("read/1")).header()
                .memberId());
        });

        // Serializable reads go round every endpoint; once all have applied the writes, each sees them.
        cluster.awaitConverged(cluster.ids(), client.cluster().status().appliedIndex());
        final Set<String> servedBy = new java.util.HashSet<>();
        for (int i = 0; i < 3 * cluster.ids().size(); i++) {
            final RangeResult local = kv.range(RangeQuery.key("read/5").serializable());
            assertEquals("v5", value(local.first().orElseThrow()), "served by " + local.header().memberId());
            servedBy.add(local.header().memberId());
        }
        assertEquals(Set.copyOf(cluster.ids()), servedBy, "serializable reads are spread over the endpoints");
    }

    @Test
    void writesReturnPreviousValues() {
        final KvClient kv = client.kv();
        final PutResult first = kv.put(Op.put("write/a", "1").withPrevKv());
        assertTrue(first.previous().isEmpty());
        assertFalse(first.duplicate());
        final PutResult second = kv.put(Op.put("write/a", "2").withPrevKv());
        assertEquals("1", value(second.previous().orElseThrow()));
        assertTrue(second.header().revision() > first.header().revision());
        final KeyValue now = kv.get("write/a").orElseThrow();
        assertEquals(2, now.version());
        assertEquals(first.header().revision(), now.createRevision());
        assertEquals(second.header().revision(), now.modRevision());

        for (final String k : List.of("write/b", "write/c", "write/d", "write/e")) {
            kv.put(k, "x" + k);
        }
        final DeleteResult one = kv.delete(Op.delete("write/a").withPrevKvs());
        assertEquals(1, one.deleted());
        assertEquals("2", value(one.prevKvs().get(0)));
        assertEquals(0, kv.delete("write/a").deleted(), "already gone");

        final DeleteResult range = kv.delete(Op.deleteRange("write/b", "write/d").withPrevKvs());
        assertEquals(2, range.deleted());
        assertEquals(List.of("write/b", "write/c"), range.prevKvs().stream().map(k -> k.key().toStringUtf8())
            .toList());
        final DeleteResult prefix = kv.delete(Op.deletePrefix("write/"));
        assertEquals(2, prefix.deleted());
        assertTrue(prefix.prevKvs().isEmpty(), "previous values only when asked for");
        assertEquals(0, kv.range(RangeQuery.prefix("write/").countOnly()).count());
    }

    @Test
    void moreConcurrentAsyncWritesThanTheWriteWindow() {
        // 600 writes at once: beyond the 240-sequence window, later ones wait for earlier ones.
        final List<java.util.concurrent.CompletableFuture<PutResult>> puts = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            puts.add(client.kv().putAsync(Op.put(String.format("async/%04d", i), "v" + i)));
        }
        puts.forEach(f -> assertFalse(f.join().duplicate()));
        final RangeResult all = client.kv().range(RangeQuery.prefix("async/"));
        assertEquals(600, all.count());
        assertTrue(all.kvs().stream().allMatch(kv -> kv.version() == 1), "each applied once");
    }

    @Test
    void transactionsOnEachCompareTarget() {
        final KvClient kv = client.kv();
        final PutResult created = kv.put("txn/k", "v1");
        kv.put("txn/k", "v2");
        final long createRevision = created.header().revision();
        final long modRevision = kv.get("txn/k").orElseThrow().modRevision();

        // VALUE: equal holds, so the then branch runs (a put and a read).
        final TxnResult then = kv.txn().when(Compare.value("txn/k").equalTo("v2"))
            .then(Op.put("txn/then", "yes"), Op.get("txn/k")).otherwise(Op.put("txn/else", "yes")).commit();
        assertTrue(then.succeeded());
        assertEquals(2, then.results().size());
        assertFalse(then.putResult(0).duplicate());
        assertEquals("v2", value(then.rangeResult(1).first().orElseThrow()));
        assertTrue(kv.get("txn/else").isEmpty());

        // VALUE not-equal fails, so the otherwise branch runs.
        final TxnResult otherwise = kv.txn().when(Compare.value("txn/k").notEqualTo("v2"))
            .then(Op.put("txn/then2", "yes")).otherwise(Op.get("txn/k"), Op.delete("txn/then")).commit();
        assertFalse(otherwise.succeeded());
        assertEquals("v2", value(otherwise.rangeResult(0).first().orElseThrow()));
        assertEquals(1, otherwise.deleteResult(1).deleted());
        assertTrue(kv.get("txn/then2").isEmpty());

        // Every target and operator, each once holding and once not.
        final List<Compare> holding = List.of(
            Compare.value("txn/k").lessThan("v3"), Compare.value("txn/k").greaterThan("v1"),
            Compare.version("txn/k").equalTo(2), Compare.version("txn/absent").equalTo(0),
            Compare.version("txn/k").greaterThan(1), Compare.version("txn/k").lessThan(3),
            Compare.createRevision("txn/k").equalTo(createRevision),
            Compare.createRevision("txn/k").lessThan(modRevision),
            Compare.modRevision("txn/k").equalTo(modRevision), Compare.modRevision("txn/k").greaterThan(createRevision),
            Compare.modRevision("txn/k").notEqualTo(createRevision));
        for (final Compare c : holding) {
            assertTrue(kv.txn().when(c).commit().succeeded(), "holds: " + c);
        }
        final List<Compare> failing = List.of(
            Compare.value("txn/k").equalTo("v1"), Compare.value("txn/absent").notEqualTo("x"),
            Compare.version("txn/k").lessThan(2), Compare.createRevision("txn/k").greaterThan(createRevision),
            Compare.modRevision("txn/k").lessThan(modRevision), Compare.createRevision("txn/k").notEqualTo(createRevision));
        for (final Compare c : failing) {
            assertFalse(kv.txn().when(c).commit().succeeded(), "fails: " + c);
        }
        // All compares together: one failing one decides.
        assertFalse(kv.txn().when(holding.toArray(Compare[]::new)).when(failing.get(0)).commit().succeeded());

        final TxnResult async = kv.txn().when(Compare.version("txn/k").equalTo(2)).then(Op.put("txn/async", "a"))
            .commitAsync().join();
        assertTrue(async.succeeded());
        assertEquals("a", value(kv.rangeAsync(RangeQuery.key("txn/async")).join().first().orElseThrow()));
    }

    @Test
    void membershipStatusAndLeadership() throws Exception {
        final ClusterClient admin = client.cluster();
        final MemberList members = admin.memberList();
        assertEquals(Set.copyOf(cluster.ids()), members.members().stream().map(Member::id).collect(Collectors.toSet()));
        final Member listedLeader = members.leader().orElseThrow();
        assertEquals(cluster.clientEndpoint(listedLeader.id()), listedLeader.clientAddress());

        // Each endpoint answers a status as itself.
        final List<EndpointStatus> all = admin.statusAll();
        assertEquals(cluster.clientEndpoints(), all.stream().map(EndpointStatus::endpoint).toList());
        for (final EndpointStatus s : all) {
            assertTrue(s.ok(), s.endpoint() + ": " + s.error());
            assertEquals(s.endpoint(), cluster.clientEndpoint(s.status().memberId()));
            assertTrue(s.status().healthy());
            assertEquals(s.status().memberId(), admin.status(s.endpoint()).memberId());
        }
        assertThrows(IllegalArgumentException.class, () -> admin.status("127.0.0.1:1"));

        // Writes go to the leader (awaited: an election may move it meanwhile).
        cluster.await("a write served by the leader", () -> {
            final String servedBy = client.kv().put("lead/1", "x").header().memberId();
            final NodeStatus leader = admin.status();
            return leader.isLeader() && servedBy.equals(leader.memberId())
                && client.leaderEndpoint().orElse("").equals(cluster.clientEndpoint(servedBy));
        });
        final String leaderId = admin.status().memberId();

        // Move leadership: the client follows the new leader.
        final String target = cluster.ids().stream().filter(id -> !id.equals(leaderId)).findFirst().orElseThrow();
        final MoveLeaderResult moved = admin.moveLeader(target);
        assertEquals(target, moved.leaderId());
        cluster.await("writes served by the new leader " + target,
            () -> target.equals(client.kv().put("lead/2", "y").header().memberId()));
        assertEquals(target, admin.status().memberId());

        // Refused membership changes surface with their code and are not retried.
        final DuetException exists = assertThrows(DuetException.class,
            () -> admin.addMember(target, "127.0.0.1:1", "127.0.0.1:2"));
        assertEquals(Status.Code.ALREADY_EXISTS, exists.code(), exists.getMessage());
        assertEquals(1, exists.attempts());
        final DuetException unknown = assertThrows(DuetException.class, () -> admin.removeMember("nobody"));
        assertEquals(Status.Code.NOT_FOUND, unknown.code(), unknown.getMessage());
        assertEquals(3, admin.memberList().members().size());
    }

    @Test
    void invalidRequestsAreNotRetried() {
        final KvClient kv = client.kv();
        final DuetException emptyKey = assertThrows(DuetException.class, () -> kv.put("", "v"));
        assertEquals(Status.Code.INVALID_ARGUMENT, emptyKey.code());
        assertEquals(1, emptyKey.attempts(), emptyKey.getMessage());
        assertFalse(emptyKey.outcomeUnknown(), "an invalid write is surely not applied");
        assertTrue(emptyKey.getMessage().contains("key is empty"), emptyKey.getMessage());

        final DuetException backwards = assertThrows(DuetException.class, () -> kv.range("b", "a"));
        assertEquals(Status.Code.INVALID_ARGUMENT, backwards.code());
        assertEquals(1, backwards.attempts());

        final DuetException bigValue = assertThrows(DuetException.class,
            () -> kv.put(Bytes.of("big"), Bytes.of(new byte[1024 * 1024 + 1])));
        assertEquals(Status.Code.INVALID_ARGUMENT, bigValue.code());
        assertEquals(1, bigValue.attempts());
        assertTrue(bigValue.getMessage().contains("1048576"), bigValue.getMessage());

        final DuetException tooManyOps = assertThrows(DuetException.class, () -> kv.txn()
            .then(java.util.stream.IntStream.range(0, 129).mapToObj(i -> Op.put("t" + i, "v")).toArray(Op[]::new))
            .commit());
        assertEquals(Status.Code.INVALID_ARGUMENT, tooManyOps.code());
        assertEquals(1, tooManyOps.attempts());
        assertNotEquals(0, kv.put("after/invalid", "still fine").header().revision());
    }
}

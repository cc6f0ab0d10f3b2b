package io.duetdb.server;

import static io.duetdb.server.ReplicationTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.duetdb.api.v1.Compare;
import io.duetdb.api.v1.DeleteRangeRequest;
import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.MemberListRequest;
import io.duetdb.api.v1.MemberRemoveRequest;
import io.duetdb.api.v1.MoveLeaderRequest;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.RequestOp;
import io.duetdb.api.v1.SnapshotChunk;
import io.duetdb.api.v1.SnapshotDownloadRequest;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.api.v1.TxnRequest;
import io.duetdb.api.v1.VerifyRequest;
import io.duetdb.api.v1.VerifyResponse;
import io.duetdb.api.v1.WriteId;
import io.duetdb.server.api.KvService;
import io.duetdb.server.testing.ClusterFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * The public API over real gRPC against a 3-node cluster: response headers, the maintenance
 * RPCs (status, verify, snapshot download), gRPC health, and the bad-input matrix with the exact
 * status code for each case while another client keeps writing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
    private Path root;
    private ClusterFixture cluster;
    private String leader;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("duet-api-test");
        cluster = new ClusterFixture(root, 3);
        cluster.startAll();
        leader = cluster.awaitLeader(cluster.ids());
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    private static PutRequest put(final String key, final ByteString value) {
        return PutRequest.newBuilder().setKey(bytes(key)).setValue(value).build();
    }

    @Test
    void headersStatusVerifySnapshotDownloadAndHealth() throws Exception {
        for (int i = 0; i < 50; i++) {
            cluster.kv(leader).put(put("m-" + i, bytes("v" + i)));
        }
        final long index = cluster.statusOrNull(leader).getAppliedIndex();
        final long digest = cluster.awaitConverged(cluster.ids(), index);
        for (final String id : cluster.ids()) {
            final StatusResponse s = cluster.statusOrNull(id);
            assertEquals(id, s.getHeader().getMemberId());
            assertFalse(s.getHeader().getClusterId().isEmpty());
            assertEquals(cluster.statusOrNull(leader).getHeader().getClusterId(), s.getHeader().getClusterId());
            assertTrue(s.getMemoryUsedBytes() > 0 && s.getWalBytes() > 0, s.toString());
            assertFalse(s.getApiTransport().isEmpty());
            assertEquals(digest, s.getDigest(), "digest in status");
            final StatusResponse lean = cluster.maintenance(id).withDeadlineAfter(5, TimeUnit.SECONDS)
                .status(StatusRequest.newBuilder().setSkipDigest(true).build());
            assertEquals(0, lean.getDigest(), "skip_digest leaves the digest out");
            assertEquals(s.getKeyCount(), lean.getKeyCount());
            assertEquals(s.getMemberId(), lean.getMemberId());
            final VerifyResponse v = cluster.maintenance(id).verify(VerifyRequest.getDefaultInstance());
            assertTrue(v.getOk(), v.toString());
            assertEquals(2, v.getLogsCount());
            assertTrue(v.getLogs(0).getRecords() >= 50, v.toString());
            assertEquals(digest, v.getDigest(), "same table on every member");
            cluster.await(id + " SERVING", () -> HealthGrpc.newBlockingStub(cluster.channel(id))
                .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus()
                == HealthCheckResponse.ServingStatus.SERVING);
        }
        assertEquals(leader, cluster.kv(leader).put(put("h", bytes("x"))).getHeader().getMemberId());

        // Snapshot download: files reassemble, each CRC32C matches, the checkpoint verifies afterwards.
        final Iterator<SnapshotChunk> chunks = MaintenanceGrpc.newBlockingStub(cluster.channel(leader))
            .withDeadlineAfter(60, TimeUnit.SECONDS).snapshotDownload(SnapshotDownloadRequest.getDefaultInstance());
        final Map<String, ByteArrayOutputStream> files = new HashMap<>();
        long snapshotIndex = -1;
        int verifiedFiles = 0;
        while (chunks.hasNext()) {
            final SnapshotChunk c = chunks.next();
            if (snapshotIndex < 0) {
                snapshotIndex = c.getSnapshotIndex();
            }
            final ByteArrayOutputStream f = files.computeIfAbsent(c.getFileName(), n -> new ByteArrayOutputStream());
            assertEquals(f.size(), c.getOffset(), "chunks arrive in order");
            c.getData().writeTo(f);
            if (c.getLastInFile()) {
                final CRC32C crc = new CRC32C();
                crc.update(f.toByteArray());
                assertEquals((int) crc.getValue(), c.getFileCrc32C(), c.getFileName());
                verifiedFiles++;
            }
        }
        assertTrue(snapshotIndex >= index, "snapshot at " + snapshotIndex);
        assertEquals(2, verifiedFiles);
        assertTrue(files.keySet().stream().anyMatch(n -> n.startsWith("checkpoint-")), files.keySet().toString());
        final Path saved = Files.write(root.resolve(files.keySet().stream().filter(n -> n.startsWith("checkpoint-"))
            .findFirst().orElseThrow()), files.entrySet().stream().filter(e -> e.getKey().startsWith("checkpoint-"))
            .findFirst().orElseThrow().getValue().toByteArray());
        assertTrue(io.duetdb.storage.checkpoint.CheckpointStore.load(saved).table().size() >= 50);
    }

    /**
     * Linearizable reads through every member, followers included, see the write acknowledged
     * just before them, and add no Raft entry (Duet's ReadIndex: a confirmation round, no log
     * entry; the read fence it replaced proposed an entry per batch of reads).
     */
    @Test
    void linearizableReadsOnEveryMemberSeeTheLastWriteAndAddNoLogEntry() {
        for (int i = 0; i < 30; i++) {
            final ByteString value = bytes("v" + i);
            cluster.kv(leader).put(put("read-index", value));
            final String member = cluster.ids().get(i % cluster.ids().size());
            final RangeRequest read = RangeRequest.newBuilder().setKey(bytes("read-index")).build();
            assertEquals(value, cluster.kv(member).range(read).getKvs(0).getValue(),
                "a linearizable read on " + member + " right after write " + i);
        }
        final int reads = 150;
        final long before = cluster.statusOrNull(leader).getCommitIndex();
        for (int i = 0; i < reads; i++) {
            final String member = cluster.ids().get(i % cluster.ids().size());
            assertEquals(bytes("v29"), cluster.kv(member).range(RangeRequest.newBuilder().setKey(bytes("read-index"))
                .build()).getKvs(0).getValue());
        }
        final long entries = cluster.statusOrNull(leader).getCommitIndex() - before;
        assertTrue(entries < 5, reads + " linearizable reads took " + entries + " log entries (an idle-follower "
            + "nudge may add one)");
    }

    /**
     * Sequential writes (no batching possible) take one Raft entry each: Ratis's METADATA entries,
     * which logged a second entry after every commit, stay off. Leader elections or a nudge add a
     * few entries at most, far below the second hundred.
     */
    @Test
    void sequentialWritesTakeOneLogEntryEach() {
        final int writes = 100;
        cluster.kv(leader).put(put("one-entry-warmup", bytes("w")));
        final long before = cluster.statusOrNull(leader).getCommitIndex();
        for (int i = 0; i < writes; i++) {
            cluster.kv(leader).put(put("one-entry-" + i, bytes("v" + i)));
        }
        final long entries = cluster.statusOrNull(leader).getCommitIndex() - before;
        assertTrue(entries >= writes && entries < writes * 3 / 2, writes + " writes took " + entries + " entries");
    }

    @Test
    void badInputGetsTheExactStatusWhileOthersKeepWriting() throws Exception {
        final AtomicInteger written = new AtomicInteger();
        final AtomicReference<Throwable> writerError = new AtomicReference<>();
        final Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 2_000 && !Thread.currentThread().isInterrupted(); i++) {
                    cluster.kv(leader).put(put("w-" + i, bytes("ok")));
                    written.incrementAndGet();
                }
            } catch (final Throwable t) {
                writerError.compareAndSet(null, t);
            }
        }, "well-behaved-client");
        writer.start();
        try {
            final ByteString key4k = ByteString.copyFrom(new byte[4097]);
            final ByteString mib = ByteString.copyFrom(new byte[1 << 20]);
            expect(Status.Code.INVALID_ARGUMENT, "key", () -> cluster.kv(leader).put(put("", bytes("v"))));
            expect(Status.Code.INVALID_ARGUMENT, "4096", () -> cluster.kv(leader).put(
                PutRequest.newBuilder().setKey(key4k).setValue(bytes("v")).build()));
            expect(Status.Code.INVALID_ARGUMENT, "1048576", () -> cluster.kv(leader).put(
                put("big", ByteString.copyFrom(new byte[(1 << 20) + 1]))));
            final TxnRequest.Builder threeMib = TxnRequest.newBuilder();
            for (int i = 0; i < 3; i++) {
                threeMib.addSuccess(RequestOp.newBuilder().setRequestPut(put("t" + i, mib)));
            }
            expect(Status.Code.INVALID_ARGUMENT, "max-request-bytes", () -> cluster.kv(leader).txn(threeMib.build()));
            final TxnRequest.Builder nineMib = TxnRequest.newBuilder();
            for (int i = 0; i < 9; i++) {
                nineMib.addSuccess(RequestOp.newBuilder().setRequestPut(put("t" + i, mib)));
            }
            expect(Status.Code.RESOURCE_EXHAUSTED, "", () -> cluster.kv(leader).txn(nineMib.build()));
            final TxnRequest.Builder manyOps = TxnRequest.newBuilder();
            for (int i = 0; i < 129; i++) {
                manyOps.addSuccess(RequestOp.newBuilder().setRequestPut(put("o" + i, bytes("v"))));
            }
            expect(Status.Code.INVALID_ARGUMENT, "128", () -> cluster.kv(leader).txn(manyOps.build()));
            expect(Status.Code.INVALID_ARGUMENT, "", () -> cluster.kv(leader).txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bytes(""))).build()));
            expect(Status.Code.INVALID_ARGUMENT, "", () -> cluster.kv(leader).range(RangeRequest.newBuilder()
                .setKey(bytes("b")).setRangeEnd(bytes("a")).build()));
            expect(Status.Code.INVALID_ARGUMENT, "", () -> cluster.kv(leader).range(RangeRequest.newBuilder()
                .setKey(bytes("a")).setLimit(-1).build()));
            expect(Status.Code.INVALID_ARGUMENT, "", () -> cluster.kv(leader).deleteRange(DeleteRangeRequest
                .newBuilder().setKey(bytes("")).build()));
            expect(Status.Code.INVALID_ARGUMENT, "client_id", () -> cluster.kv(leader).put(put("id", bytes("v"))
                .toBuilder().setWriteId(WriteId.newBuilder().setClientId(bytes("short")).setSequence(1)).build()));
            expect(Status.Code.NOT_FOUND, "nobody", () -> cluster.cluster(leader).memberRemove(
                MemberRemoveRequest.newBuilder().setId("nobody").build()));
            expect(Status.Code.NOT_FOUND, "nobody", () -> cluster.cluster(leader).moveLeader(
                MoveLeaderRequest.newBuilder().setTargetId("nobody").build()));
            expect(Status.Code.DEADLINE_EXCEEDED, "", () -> cluster.kv(leader).withDeadlineAfter(1, TimeUnit.NANOSECONDS)
                .put(put("late", bytes("v"))));
            // An expired write id sequence: the session window holds the newest 256.
            final ByteString client = KvService.clientId(7, 7);
            for (int seq = 1; seq <= 300; seq++) {
                final int s = seq;
                cluster.kv(leader).put(put("seq", bytes("v" + s)).toBuilder()
                    .setWriteId(WriteId.newBuilder().setClientId(client).setSequence(s)).build());
            }
            expect(Status.Code.FAILED_PRECONDITION, "sequence 1", () -> cluster.kv(leader).put(put("seq", bytes("old"))
                .toBuilder().setWriteId(WriteId.newBuilder().setClientId(client).setSequence(1)).build()));
        } finally {
            writer.join(TimeUnit.MINUTES.toMillis(5));
            writer.interrupt();
        }
        assertEquals(null, writerError.get(), "the well-behaved client was never refused");
        assertEquals(2_000, written.get());
        assertEquals(3, cluster.cluster(leader).memberList(MemberListRequest.getDefaultInstance()).getMembersCount());
        assertEquals(List.of(), cluster.kv(leader).range(RangeRequest.newBuilder().setKey(bytes("big")).build())
            .getKvsList(), "nothing of a refused request was written");
    }

    private static void expect(final Status.Code code, final String inMessage, final Executable call) {
        final StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.toString());
        final String description = String.valueOf(e.getStatus().getDescription());
        assertTrue(description.contains(inMessage), "'" + inMessage + "' in " + description);
    }
}

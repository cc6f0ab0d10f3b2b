package io.duetdb.server;

import static io.duetdb.server.ReplicationTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.duetdb.api.v1.DeleteRangeRequest;
import io.duetdb.api.v1.PutRequest;
import io.duetdb.api.v1.RangeRequest;
import io.duetdb.api.v1.StatusResponse;
import io.duetdb.server.api.MaintenanceService;
import io.duetdb.server.testing.ClusterFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The space quota with real processes: a 3-member cluster with a 4 MiB quota, filled with 64 KiB
 * values through every member in turn. Past the quota writes get RESOURCE_EXHAUSTED with the
 * numbers, every member stays up and raises the NOSPACE alarm, reads and deletes keep working,
 * writes resume after deletes, and a whole-cluster restart of a full store comes back and serves.
 */
class SpaceQuotaClusterTest {
    private static final long QUOTA_BYTES = 4L << 20;
    private static final int VALUE_BYTES = 64 << 10;
    /** A bound on the fill: about 62 values fit; a quota that refused nothing would end the loop here. */
    private static final int MAX_PUTS = 300;

    private static final ByteString VALUE = ByteString.copyFrom(new byte[VALUE_BYTES]);

    @Test
    void aFullStoreRefusesWritesKeepsServingAndRecovers() throws Exception {
        final Path root = Files.createTempDirectory("duet-space-quota");
        try (ClusterFixture cluster = new ClusterFixture(root, 3, "--space-quota-bytes", String.valueOf(QUOTA_BYTES))) {
            cluster.startAll();
            cluster.awaitLeader(cluster.ids());

            final List<String> acked = new ArrayList<>();
            final StatusRuntimeException refusal = fill(cluster, acked, 0);
            assertTrue(acked.size() > 40, "about 62 values of 64 KiB fit 4 MiB, got " + acked.size());
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refusal.getStatus().getCode());
            final String message = refusal.getStatus().getDescription();
            assertTrue(message.startsWith("space exceeded: the store uses ") && message.contains("of its "
                + QUOTA_BYTES + "-byte quota") && message.contains("delete keys"), message);

            awaitAlarmOnEveryMember(cluster, true);
            for (final String id : cluster.ids()) {
                final StatusResponse s = cluster.statusOrNull(id);
                assertTrue(s.getSpaceUsedBytes() <= QUOTA_BYTES && s.getSpaceUsedBytes() > QUOTA_BYTES * 9 / 10,
                    id + " uses " + s.getSpaceUsedBytes());
                assertEquals(QUOTA_BYTES, s.getSpaceQuotaBytes());
                assertEquals(acked.size(), cluster.kv(id).range(RangeRequest.newBuilder().setKey(bytes("q/"))
                    .setRangeEnd(bytes("q0")).setCountOnly(true).build()).getCount(), "reads on " + id);
            }
            final StatusRuntimeException again = putOrNull(cluster, cluster.ids().get(1), "q/again");
            assertTrue(again != null && again.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED,
                "refused while the alarm is on: " + again);

            // One delete is not enough (hysteresis: writes resume at 95% of the quota); five are.
            cluster.kv(cluster.ids().get(0)).deleteRange(DeleteRangeRequest.newBuilder()
                .setKey(bytes(acked.remove(0))).build());
            cluster.awaitConverged(cluster.ids(), 0);
            for (final String id : cluster.ids()) {
                assertTrue(cluster.statusOrNull(id).getAlarmsList().contains(MaintenanceService.SPACE_ALARM),
                    "one value freed is within the hysteresis band on " + id);
            }
            for (int i = 1; i < 5; i++) {
                cluster.kv(cluster.ids().get(i % 3)).deleteRange(DeleteRangeRequest.newBuilder()
                    .setKey(bytes(acked.remove(0))).build());
            }
            awaitAlarmOnEveryMember(cluster, false);
            final StatusRuntimeException resumed = putOrNull(cluster, cluster.ids().get(2), "q/resumed");
            assertEquals(null, resumed, "a write after deletes");
            acked.add("q/resumed");

            fill(cluster, acked, 1000);
            for (final String id : cluster.ids()) {
                cluster.kill(id);
            }
            cluster.startAll();
            cluster.awaitLeader(cluster.ids());
            for (final String id : cluster.ids()) {
                for (final String key : List.of(acked.get(0), acked.get(acked.size() - 1))) {
                    assertEquals(1, cluster.kv(id).range(RangeRequest.newBuilder().setKey(bytes(key)).build())
                        .getKvsCount(), key + " on " + id + " after the restart");
                }
            }
            final StatusRuntimeException afterRestart = putOrNull(cluster, cluster.ids().get(0), "q/after-restart");
            assertTrue(afterRestart != null && afterRestart.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED,
                "still full after the restart: " + afterRestart);
            for (final String id : cluster.ids()) {
                assertTrue(cluster.isRunning(id), id + " is up");
                assertTrue(!cluster.log(id).contains("OutOfMemoryError"), id + " ran out of heap");
            }
        }
    }

    /** Puts values through every member in turn until one is refused; returns the refusal. */
    private static StatusRuntimeException fill(final ClusterFixture cluster, final List<String> acked, final int first) {
        for (int i = first; i < first + MAX_PUTS; i++) {
            final String key = String.format("q/%05d", i);
            final StatusRuntimeException e = putOrNull(cluster, cluster.ids().get(i % 3), key);
            if (e != null) {
                if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
                    throw e;
                }
                return e;
            }
            acked.add(key);
        }
        return fail(MAX_PUTS + " values of " + VALUE_BYTES + " bytes fit a " + QUOTA_BYTES + "-byte quota");
    }

    private static StatusRuntimeException putOrNull(final ClusterFixture cluster, final String id, final String key) {
        try {
            cluster.kv(id).put(PutRequest.newBuilder().setKey(bytes(key)).setValue(VALUE).build());
            return null;
        } catch (final StatusRuntimeException e) {
            return e;
        }
    }

    private static void awaitAlarmOnEveryMember(final ClusterFixture cluster, final boolean on)
        throws InterruptedException {
        cluster.await("the space alarm " + (on ? "on" : "off") + " on every member", () -> cluster.ids().stream()
            .allMatch(id -> {
                final StatusResponse s = cluster.statusOrNull(id);
                return s != null && s.getAlarmsList().contains(MaintenanceService.SPACE_ALARM) == on;
            }));
    }
}

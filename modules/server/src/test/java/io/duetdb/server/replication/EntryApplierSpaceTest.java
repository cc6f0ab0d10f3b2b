package io.duetdb.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.StoreOptions;
import io.duetdb.storage.io.IoBackends;
import io.duetdb.storage.io.IoMode;
import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.table.Op;
import io.duetdb.storage.table.SpaceCost;
import io.duetdb.storage.wal.CompletionLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quota at apply: decided from the entry's quota and the replicated usage, the same on every replica. */
class EntryApplierSpaceTest {
    private static final int VALUE_BYTES = 1000;
    private static final long ONE_KEY = SpaceCost.ofEntry(2, VALUE_BYTES);

    private static ClientWrite put(final String key, final long sequence) {
        return new ClientWrite(7, 7, sequence, new Op.Put(key.getBytes(StandardCharsets.UTF_8), new byte[VALUE_BYTES],
            false));
    }

    private static ClientWrite delete(final String key) {
        return ClientWrite.of(new Op.DeleteRange(key.getBytes(StandardCharsets.UTF_8), null, false));
    }

    /** An applier on an empty table, applying with the given node-local quota (which must not decide). */
    private static EntryApplier applier(final Path dir, final long localQuota) throws Exception {
        final CompletionLog log = CompletionLog.open(dir, StoreOptions.defaults().completionWal(),
            new IoBackends(IoMode.FILECHANNEL).create("completion"), 1, 0);
        return new EntryApplier(new KvTable(), new SessionTable(), log, false, new SpaceQuota(localQuota));
    }

    @Test
    void writesPastTheEntrysQuotaAreRefusedAndChangeNothing(@TempDir final Path dir) throws Exception {
        final EntryApplier a = applier(dir, 10 * ONE_KEY);
        // room for three keys and the session of client 7, and half a key more
        final long quota = 3 * ONE_KEY + SessionTable.BYTES_PER_SESSION + ONE_KEY / 2;
        final List<EntryApplier.WriteResult> first = a.apply(1, 1, quota,
            List.of(put("k1", 1), put("k2", 2), put("k3", 3), put("k4", 4)), false);
        assertEquals(List.of(EntryApplier.Outcome.APPLIED, EntryApplier.Outcome.APPLIED, EntryApplier.Outcome.APPLIED,
            EntryApplier.Outcome.SPACE_EXCEEDED), first.stream().map(EntryApplier.WriteResult::outcome).toList(),
            "the fourth would pass the quota, counting the entry's earlier writes");
        assertTrue(first.get(3).refusal().startsWith("space exceeded"), first.get(3).refusal());
        assertEquals(3 * ONE_KEY, a.read(SpaceCost::ofTable));
        assertNull(a.read(t -> t.get("k4".getBytes(StandardCharsets.UTF_8))));

        assertEquals(EntryApplier.Outcome.SPACE_EXCEEDED, a.apply(1, 2, quota, List.of(put("k4", 5)), false).get(0)
            .outcome(), "still full");
        assertEquals(EntryApplier.Outcome.APPLIED, a.apply(1, 3, quota, List.of(delete("k1")), false).get(0).outcome(),
            "a delete always passes");
        assertEquals(EntryApplier.Outcome.APPLIED, a.apply(1, 4, quota, List.of(put("k4", 4)), false).get(0).outcome(),
            "sequence 4 was not recorded when refused: its retry applies once there is room");
        assertNotNull(a.read(t -> t.get("k4".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void theEntrysQuotaDecidesNotTheNodesOwn(@TempDir final Path dir) throws Exception {
        final EntryApplier generous = applier(dir.resolve("a"), 100 * ONE_KEY);
        final EntryApplier strict = applier(dir.resolve("b"), 2 * ONE_KEY);
        final List<ClientWrite> writes = List.of(put("k1", 1), put("k2", 2), put("k3", 3));
        final long quota = 2 * ONE_KEY + SessionTable.BYTES_PER_SESSION; // two keys and client 7's session
        final List<EntryApplier.Outcome> a = generous.apply(1, 1, quota, writes, false).stream()
            .map(EntryApplier.WriteResult::outcome).toList();
        final List<EntryApplier.Outcome> b = strict.apply(1, 1, quota, writes, false).stream()
            .map(EntryApplier.WriteResult::outcome).toList();
        assertEquals(a, b);
        assertEquals(EntryApplier.Outcome.SPACE_EXCEEDED, a.get(2));
        assertEquals(generous.read(KvTable::digest), strict.read(KvTable::digest));
        assertEquals(generous.usageBytes(), strict.usageBytes());
    }

    @Test
    void anEntryWithoutAQuotaRefusesNothing(@TempDir final Path dir) throws Exception {
        final EntryApplier a = applier(dir, ONE_KEY);
        final List<EntryApplier.WriteResult> r = a.apply(1, 1, 0, List.of(put("k1", 1), put("k2", 2)), false);
        assertTrue(r.stream().allMatch(w -> w.outcome() == EntryApplier.Outcome.APPLIED), "a format-1 entry");
        assertTrue(a.usageBytes() > ONE_KEY);
        assertFalse(a.usageBytes() == 0);
    }
}

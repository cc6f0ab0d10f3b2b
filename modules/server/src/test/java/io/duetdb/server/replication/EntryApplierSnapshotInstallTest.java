package io.duetdb.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duetdb.storage.StoreOptions;
import io.duetdb.storage.io.IoBackends;
import io.duetdb.storage.io.IoMode;
import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.table.Op;
import io.duetdb.storage.wal.CompletionLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose own snapshot was damaged is sent an older one by the leader than what its
 * completion log says it applied (docs/recovery.md#raft-log). The entries after that snapshot
 * come again: they are applied to the installed table and checked against their completion
 * records, never appended below the log's end (which stopped the replica: "COMPLETION index 300
 * out of order: the last index is 520").
 */
class EntryApplierSnapshotInstallTest {
    private static final long NO_QUOTA = Long.MAX_VALUE;

    private static List<ClientWrite> put(final String key, final String value) {
        return List.of(ClientWrite.of(new Op.Put(key.getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8), false)));
    }

    private static CompletionLog open(final Path dir) throws Exception {
        return CompletionLog.open(dir, StoreOptions.defaults().completionWal(),
            new IoBackends(IoMode.FILECHANNEL).create("completion"), 1, 0);
    }

    private static EntryApplier applier(final CompletionLog log) {
        return new EntryApplier(new KvTable(), new SessionTable(), log, false, new SpaceQuota(NO_QUOTA));
    }

    /** The table a snapshot at {@code index} holds: entries 1..index applied. */
    private static KvTable snapshotTable(final Path dir, final long index) throws Exception {
        try (CompletionLog log = open(dir)) {
            final EntryApplier a = applier(log);
            for (long i = 1; i <= index; i++) {
                a.apply(1, i, NO_QUOTA, put("k" + i, "v" + i), false);
            }
            return a.read(t -> t);
        }
    }

    @Test
    void entriesAfterAnOlderInstalledSnapshotAreVerifiedAgainstTheirCompletions(@TempDir final Path dir)
        throws Exception {
        final long digestThrough6;
        try (CompletionLog log = open(dir.resolve("member"))) {
            final EntryApplier before = applier(log);
            for (long i = 1; i <= 6; i++) {
                before.apply(1, i, NO_QUOTA, put("k" + i, "v" + i), false);
            }
            digestThrough6 = before.read(KvTable::digest);
        }
        try (CompletionLog log = open(dir.resolve("member"))) {
            final EntryApplier restarted = applier(log);
            restarted.reset(snapshotTable(dir.resolve("leader"), 2), new SessionTable(), 2);
            for (long i = 3; i <= 5; i++) {
                restarted.apply(1, i, NO_QUOTA, put("k" + i, "v" + i), false);
            }
            assertThrows(ReplayDivergedException.class,
                () -> restarted.apply(1, 6, NO_QUOTA, List.of(ClientWrite.of(new Op.DeleteRange(
                    "k1".getBytes(StandardCharsets.UTF_8), null, false))), false),
                "an entry that differs from what this member applied and acknowledged is refused");
        }
        try (CompletionLog log = open(dir.resolve("member"))) {
            final EntryApplier again = applier(log);
            again.reset(snapshotTable(dir.resolve("leader2"), 2), new SessionTable(), 2);
            for (long i = 3; i <= 7; i++) {
                again.apply(1, i, NO_QUOTA, put("k" + i, "v" + i), false);
                if (i == 6) {
                    assertEquals(digestThrough6, again.read(KvTable::digest));
                }
            }
            assertEquals(7, log.lastIndex(), "entry 7, past the old end, is appended");
        }
    }
}

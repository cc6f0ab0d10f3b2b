package io.duetdb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.io.IoMode;
import io.duetdb.storage.table.InvalidOpException;
import io.duetdb.storage.table.KeyValue;
import io.duetdb.storage.table.Op;
import io.duetdb.storage.table.OpResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DuetStoreTest {
    @TempDir
    Path dir;

    static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"IO_URING", "FILECHANNEL"})
    void sixtyFourConcurrentWritersAreRecoveredInOrder(final IoMode mode) throws Exception {
        final int writers = 64;
        final int perWriter = 150;
        final ConcurrentHashMap<String, Long> acknowledgedRevision = new ConcurrentHashMap<>();
        final StoreOptions options = CrashWriterMain.options(mode).withCheckpointEveryOps(2000);
        try (DuetStore store = DuetStore.open(dir, options)) {
            assertEquals(mode.configName(), store.ioBackend());
            final ExecutorService pool = Executors.newFixedThreadPool(writers);
            final List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                final int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        store.put(b("w" + writer), b(Integer.toString(i)));
                        acknowledgedRevision.put("w" + writer + "#" + i, store.get(b("w" + writer)).modRevision());
                    }
                    return null;
                }));
            }
            for (final Future<?> f : done) {
                f.get(300, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals((long) writers * perWriter, store.lastAppliedIndex());
        }
        try (DuetStore store = DuetStore.open(dir, CrashWriterMain.options(mode))) {
            assertEquals((long) writers * perWriter, store.lastAppliedIndex());
            for (int w = 0; w < writers; w++) {
                final KeyValue kv = store.get(b("w" + w));
                assertArrayEquals(b(Integer.toString(perWriter - 1)), kv.value(), "writer " + w);
                assertEquals(perWriter, kv.version(), "every put of writer " + w + " was applied once, in order");
                assertEquals(acknowledgedRevision.get("w" + w + "#" + (perWriter - 1)), kv.modRevision());
            }
        }
    }

    @Test
    void reopenGivesTheSameDigestAndCheckpointsRecycleSegments() throws Exception {
        final StoreOptions options = CrashWriterMain.options(IoMode.AUTO).withCheckpointEveryOps(0);
        final long digest;
        try (DuetStore store = DuetStore.open(dir, options)) {
            for (int i = 0; i < 3000; i++) {
                store.submit(List.of(new Op.Put(b("k" + (i % 500)), b("v".repeat(300 + i % 90)), false),
                    new Op.DeleteRange(b("k" + ((i + 7) % 500)), null, false)));
                if (i == 1000 || i == 2000) {
                    store.checkpoint();
                }
            }
            digest = store.digest();
        }
        try (DuetStore store = DuetStore.open(dir, options)) {
            assertEquals(digest, store.digest());
            assertEquals(2001, store.recoveryReport().checkpointIndex());
            assertEquals(999, store.recoveryReport().count(io.duetdb.storage.recovery.RecoveryAction.REPLAY_VERIFIED)
                + store.recoveryReport().count(io.duetdb.storage.recovery.RecoveryAction.REPLAY_AND_RECORD));
            assertTrue(store.recoveryReport().intentScan().segments().get(0).firstIndex() > 1,
                "segments below the previous checkpoint were recycled");
        }
    }

    @Test
    void txnAndReadsThroughTheFacade() throws Exception {
        try (DuetStore store = DuetStore.open(dir, StoreOptions.defaults())) {
            store.put(b("app/a"), b("1"));
            store.put(b("app/b"), b("2"));
            store.put(b("other"), b("3"));
            assertEquals(2, store.scanPrefix(b("app/"), 0).count());
            final OpResult.TxnResult cas = (OpResult.TxnResult) store.submit(List.of(new Op.Txn(
                List.of(io.duetdb.storage.table.Compare.value(b("app/a"), io.duetdb.storage.table.Compare.Result.EQUAL,
                    b("1"))), List.of(new Op.Put(b("app/a"), b("one"), false)), List.of()))).get(0);
            assertTrue(cas.succeeded());
            assertArrayEquals(b("one"), store.get(b("app/a")).value());
            assertEquals(1, store.delete(b("other")).deletedCount());
            assertNull(store.get(b("other")));
        }
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsLogged() throws Exception {
        try (DuetStore store = DuetStore.open(dir, StoreOptions.defaults())) {
            final InvalidOpException big = assertThrows(InvalidOpException.class,
                () -> store.put(b("k"), new byte[1024 * 1024 + 1]));
            assertTrue(big.getMessage().contains("maxValueBytes"), big.getMessage());
            assertThrows(InvalidOpException.class, () -> store.put(new byte[0], b("v")));
            assertEquals(0, store.lastAppliedIndex(), "nothing was logged or applied");
            store.put(b("k"), b("v"));
            assertEquals(1, store.lastAppliedIndex(), "no index was burnt by the refused requests");
        }
        try (DuetStore store = DuetStore.open(dir, StoreOptions.defaults())) {
            assertEquals(1, store.lastAppliedIndex());
        }
    }

    @Test
    void aSecondProcessCannotOpenTheSameDirectoryAndAClosedStoreRefusesWrites() throws Exception {
        final DuetStore store = DuetStore.open(dir, StoreOptions.defaults());
        final IOException locked = assertThrows(IOException.class, () -> DuetStore.open(dir, StoreOptions.defaults()));
        assertTrue(locked.getMessage().contains("already open"), locked.getMessage());
        store.close();
        final IOException closed = assertThrows(IOException.class, () -> store.put(b("k"), b("v")));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        DuetStore.open(dir, StoreOptions.defaults()).close();
    }

    @Test
    void theCompletionFieldsAreReported() throws Exception {
        try (DuetStore store = DuetStore.open(dir, StoreOptions.defaults())) {
            store.put(b("k"), b("v"));
            assertNotNull(store.walStats());
            assertEquals(2, store.walStats().size());
            assertTrue(store.walStats().get(0).syncs() >= 1);
            assertNull(store.completionFailure());
        }
    }
}

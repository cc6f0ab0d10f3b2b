package io.duetdb.storage.table;

import static io.duetdb.storage.table.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KvTableTest {

    @Test
    void putTracksCreateModAndVersion() {
        final KvTable t = new KvTable();
        t.apply(5, List.of(new Op.Put(b("a"), b("1"), false)));
        t.apply(9, List.of(new Op.Put(b("a"), b("2"), false)));
        final KeyValue kv = t.get(b("a"));
        assertEquals(new KeyValue(b("a"), b("2"), 5, 9, 2), kv);
        final OpResult.PutResult r = (OpResult.PutResult) t.apply(10, List.of(new Op.Put(b("a"), b("3"), true))).get(0);
        assertEquals(kv, r.previous());
        assertEquals(10, t.lastAppliedRevision());
    }

    @Test
    void revisionsMustIncrease() {
        final KvTable t = new KvTable();
        t.apply(3, List.of(new Op.Put(b("a"), b("1"), false)));
        assertThrows(IllegalArgumentException.class, () -> t.apply(3, List.of(new Op.Put(b("b"), b("1"), false))));
        assertNull(t.get(b("b")), "a refused batch changes nothing");
    }

    @Test
    void rangesFollowEtcdRules() {
        final KvTable t = new KvTable();
        t.apply(1, List.of(new Op.Put(b("a"), b("1"), false), new Op.Put(b("ab"), b("2"), false),
            new Op.Put(b("b"), b("3"), false), new Op.Put(b("c"), b("4"), false)));
        assertEquals(1, t.range(b("a"), null, 0, false, false).count());
        assertEquals(2, t.range(b("a"), b("b"), 0, false, false).count());
        assertEquals(4, t.range(b("a"), KeyRanges.TO_END, 0, false, false).count());
        assertEquals(2, t.range(b("a"), KeyRanges.prefixEnd(b("a")), 0, false, false).count());
        final OpResult.RangeResult limited = t.range(b("a"), KeyRanges.TO_END, 3, true, false);
        assertEquals(3, limited.kvs().size());
        assertTrue(limited.more());
        assertEquals(4, limited.count());
        assertEquals(0, limited.kvs().get(0).value().length, "keys only");
        final OpResult.RangeResult counted = t.range(b("a"), KeyRanges.TO_END, 0, false, true);
        assertEquals(4, counted.count());
        assertTrue(counted.kvs().isEmpty());
        assertEquals(0, t.range(b("c"), b("a"), 0, false, false).count(), "an inverted range is empty");
    }

    @Test
    void prefixEndHandlesFfBytes() {
        assertArrayEquals(new byte[] {'a', 'c'}, KeyRanges.prefixEnd(b("ab")));
        assertArrayEquals(new byte[] {'b'}, KeyRanges.prefixEnd(new byte[] {'a', (byte) 0xff}));
        assertArrayEquals(KeyRanges.TO_END, KeyRanges.prefixEnd(new byte[] {(byte) 0xff, (byte) 0xff}));
        assertArrayEquals(KeyRanges.TO_END, KeyRanges.prefixEnd(new byte[0]));
    }

    @Test
    void deleteRangeRemovesAndReports() {
        final KvTable t = new KvTable();
        t.apply(1, List.of(new Op.Put(b("k1"), b("1"), false), new Op.Put(b("k2"), b("2"), false),
            new Op.Put(b("z"), b("3"), false)));
        final OpResult.DeleteResult d = (OpResult.DeleteResult) t.apply(2,
            List.of(new Op.DeleteRange(b("k"), KeyRanges.prefixEnd(b("k")), true))).get(0);
        assertEquals(2, d.deletedCount());
        assertEquals(2, d.previous().size());
        assertEquals(1, t.size());
        assertEquals(2, t.approximateSizeBytes(), "only z=3 remains");
    }

    @Test
    void txnTakesTheBranchItsComparesChoose() {
        final KvTable t = new KvTable();
        t.apply(4, List.of(new Op.Put(b("x"), b("old"), false)));
        final Op.Txn cas = new Op.Txn(List.of(Compare.value(b("x"), Compare.Result.EQUAL, b("old")),
            Compare.number(b("x"), Compare.Target.VERSION, Compare.Result.EQUAL, 1),
            Compare.number(b("x"), Compare.Target.MOD_REVISION, Compare.Result.LESS, 5),
            Compare.number(b("x"), Compare.Target.CREATE_REVISION, Compare.Result.GREATER, 3)),
            List.of(new Op.Put(b("x"), b("new"), false)), List.of(new Op.Range(b("x"), null, 0, false, false)));
        final OpResult.TxnResult won = (OpResult.TxnResult) t.apply(5, List.of(cas)).get(0);
        assertTrue(won.succeeded());
        assertArrayEquals(b("new"), t.get(b("x")).value());
        final OpResult.TxnResult lost = (OpResult.TxnResult) t.apply(6, List.of(cas)).get(0);
        assertFalse(lost.succeeded());
        assertEquals(1, ((OpResult.RangeResult) lost.results().get(0)).count());
        assertArrayEquals(b("new"), t.get(b("x")).value());
    }

    @Test
    void comparesOnAMissingKey() {
        assertTrue(Compare.value(b("m"), Compare.Result.NOT_EQUAL, b("v")).test(null));
        assertFalse(Compare.value(b("m"), Compare.Result.EQUAL, b("v")).test(null));
        assertFalse(Compare.value(b("m"), Compare.Result.LESS, b("v")).test(null));
        assertTrue(Compare.number(b("m"), Compare.Target.VERSION, Compare.Result.EQUAL, 0).test(null));
        assertTrue(Compare.number(b("m"), Compare.Target.CREATE_REVISION, Compare.Result.LESS, 1).test(null));
    }

    @Test
    void digestReflectsEveryField() {
        final KvTable a = new KvTable();
        final KvTable b = new KvTable();
        a.apply(1, List.of(new Op.Put(b("k"), b("v"), false), new Op.Put(b("j"), b("w"), false)));
        b.apply(1, List.of(new Op.Put(b("j"), b("w"), false), new Op.Put(b("k"), b("v"), false)));
        assertEquals(a.digest(), b.digest(), "same content, different op order within a batch");
        b.apply(2, List.of(new Op.Put(b("k"), b("v"), false)));
        assertNotEquals(a.digest(), b.digest(), "same values but another version and revision");
        final KvTable c = KvTable.restore(1, List.of(new KeyValue(b("k"), b("v"), 1, 1, 1),
            new KeyValue(b("j"), b("w"), 1, 1, 1)));
        assertEquals(a.digest(), c.digest());
    }

    /** Thousands of random batches against a TreeMap model of the same rules. */
    @Test
    void randomizedAgainstAModel() {
        for (final long seed : new long[] {1, 2, 3, 42}) {
            final Random random = new Random(seed);
            final KvTable table = new KvTable();
            final TreeMap<String, long[]> model = new TreeMap<>(); // key -> {value, create, mod, version}
            for (long rev = 1; rev <= 3000; rev++) {
                final List<Op> ops = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    final String key = "k" + random.nextInt(40);
                    if (random.nextInt(4) == 0) {
                        final String end = "k" + random.nextInt(40);
                        ops.add(new Op.DeleteRange(b(key), b(end), false));
                        final String lo = key;
                        model.keySet().removeIf(k -> k.compareTo(lo) >= 0 && k.compareTo(end) < 0);
                    } else {
                        final long value = random.nextInt(1000);
                        ops.add(new Op.Put(b(key), b(Long.toString(value)), false));
                        final long[] prev = model.get(key);
                        model.put(key, new long[] {value, prev == null ? rev : prev[1], rev, prev == null ? 1 : prev[3] + 1});
                    }
                }
                table.apply(rev, ops);
            }
            assertEquals(model.size(), table.size(), "seed " + seed);
            for (final Map.Entry<String, long[]> e : model.entrySet()) {
                final long[] m = e.getValue();
                assertEquals(new KeyValue(b(e.getKey()), b(Long.toString(m[0])), m[1], m[2], m[3]), table.get(b(e.getKey())),
                    "seed " + seed + " key " + e.getKey());
            }
            final List<String> keys = new ArrayList<>();
            table.forEach(kv -> keys.add(new String(kv.key())));
            assertEquals(new ArrayList<>(model.keySet()), keys, "key order, seed " + seed);
            assertTrue(Arrays.equals(new byte[0], new byte[0]));
        }
    }
}

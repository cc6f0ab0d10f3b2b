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
import java.util.List;
import org.junit.jupiter.api.Test;

class KvTableTest {

    private static Op.Put put(final String k, final String v) {
        return new Op.Put(b(k), b(v), false);
    }

    private static KvTable tableWith(final String... keys) {
        final KvTable t = new KvTable();
        final List<Op> ops = new ArrayList<>();
        for (final String k : keys) {
            ops.add(put(k, "v-" + k));
        }
        t.apply(1, ops);
        return t;
    }

    private static List<String> keysOf(final OpResult.RangeResult r) {
        final List<String> keys = new ArrayList<>();
        r.kvs().forEach(kv -> keys.add(new String(kv.key())));
        return keys;
    }

    @Test
    void putTracksCreateRevisionModRevisionAndVersion() {
        final KvTable t = new KvTable();
        assertEquals(List.of(new OpResult.PutResult(null)), t.apply(5, List.of(new Op.Put(b("a"), b("1"), true))));
        assertEquals(new KeyValue(b("a"), b("1"), 5, 5, 1), t.get(b("a")));
        t.apply(9, List.of(put("a", "2")));
        final KeyValue second = t.get(b("a"));
        assertEquals(new KeyValue(b("a"), b("2"), 5, 9, 2), second);
        final List<OpResult> r = t.apply(10, List.of(new Op.Put(b("a"), b("3"), true), put("a", "4")));
        assertEquals(second, ((OpResult.PutResult) r.get(0)).previous());
        assertNull(((OpResult.PutResult) r.get(1)).previous(), "previous only when asked for");
        assertEquals(new KeyValue(b("a"), b("4"), 5, 10, 4), t.get(b("a")), "two puts in one batch: two versions");
        assertEquals(10, t.lastAppliedRevision());
        assertNull(t.get(b("b")));
    }

    @Test
    void aKeyDeletedAndPutAgainStartsOver() {
        final KvTable t = new KvTable();
        t.apply(1, List.of(put("a", "1")));
        t.apply(2, List.of(put("a", "2")));
        t.apply(3, List.of(new Op.DeleteRange(b("a"), null, false)));
        t.apply(4, List.of(put("a", "3")));
        assertEquals(new KeyValue(b("a"), b("3"), 4, 4, 1), t.get(b("a")));
    }

    @Test
    void revisionsMustStrictlyIncreaseAndARefusedBatchChangesNothing() {
        final KvTable t = new KvTable();
        assertThrows(IllegalArgumentException.class, () -> t.apply(0, List.of(put("a", "1"))));
        t.apply(3, List.of(put("a", "1")));
        final long digest = t.digest();
        assertThrows(IllegalArgumentException.class, () -> t.apply(3, List.of(put("b", "1"))));
        assertThrows(IllegalArgumentException.class, () -> t.apply(2, List.of(put("b", "1"))));
        final Op.Txn nested = new Op.Txn(List.of(), List.of(new Op.Txn(List.of(), List.of(put("c", "1")), List.of())),
            List.of());
        assertThrows(IllegalArgumentException.class, () -> t.apply(4, List.of(put("b", "1"), nested)));
        assertNull(t.get(b("b")));
        assertEquals(digest, t.digest());
        assertEquals(3, t.lastAppliedRevision());
        t.apply(4, List.of(put("b", "1")));
        assertEquals(4, t.lastAppliedRevision());
    }

    @Test
    void rangesFollowEtcdRules() {
        final KvTable t = tableWith("a", "ab", "abc", "b", "c");
        assertEquals(List.of("a"), keysOf(t.range(b("a"), null, 0, false, false)), "null end: the key alone");
        assertEquals(List.of("a"), keysOf(t.range(b("a"), new byte[0], 0, false, false)), "empty end: the key alone");
        assertEquals(List.of(), keysOf(t.range(b("aa"), null, 0, false, false)), "missing single key");
        assertEquals(List.of("a", "ab", "abc"), keysOf(t.range(b("a"), b("b"), 0, false, false)), "half-open");
        assertEquals(List.of("ab", "abc", "b", "c"), keysOf(t.range(b("ab"), KeyRanges.toEnd(), 0, false, false)));
        assertEquals(List.of("ab", "abc"), keysOf(t.range(b("ab"), KeyRanges.prefixEnd(b("ab")), 0, false, false)));
        assertEquals(List.of(), keysOf(t.range(b("c"), b("a"), 0, false, false)), "an inverted range is empty");
        assertEquals(List.of(), keysOf(t.range(b("b"), b("b"), 0, false, false)), "an empty interval is empty");
    }

    @Test
    void rangeLimitKeysOnlyAndCountOnly() {
        final KvTable t = tableWith("a", "b", "c", "d");
        final OpResult.RangeResult limited = t.range(b("a"), KeyRanges.toEnd(), 3, false, false);
        assertEquals(List.of("a", "b", "c"), keysOf(limited));
        assertEquals(4, limited.count());
        assertTrue(limited.more());
        final OpResult.RangeResult exact = t.range(b("a"), KeyRanges.toEnd(), 4, false, false);
        assertEquals(4, exact.kvs().size());
        assertFalse(exact.more(), "a limit equal to the count leaves nothing out");
        final OpResult.RangeResult unlimited = t.range(b("a"), KeyRanges.toEnd(), 0, false, false);
        assertEquals(4, unlimited.kvs().size());
        assertFalse(unlimited.more());
        assertArrayEquals(b("v-a"), unlimited.kvs().get(0).value());
        final OpResult.RangeResult keysOnly = t.range(b("a"), KeyRanges.toEnd(), 2, true, false);
        assertEquals(new KeyValue(b("a"), new byte[0], 1, 1, 1), keysOnly.kvs().get(0));
        assertTrue(keysOnly.more());
        final OpResult.RangeResult countOnly = t.range(b("b"), KeyRanges.toEnd(), 1, false, true);
        assertEquals(new OpResult.RangeResult(List.of(), 3, false), countOnly);
        assertThrows(IllegalArgumentException.class, () -> t.range(b("a"), null, -1, false, false));
    }

    @Test
    void deleteRangeSemantics() {
        final KvTable single = tableWith("k", "k1", "k2", "l", "z");
        final OpResult.DeleteResult one = (OpResult.DeleteResult) single.apply(2,
            List.of(new Op.DeleteRange(b("k"), null, true))).get(0);
        assertEquals(1, one.deletedCount());
        assertEquals(List.of(new KeyValue(b("k"), b("v-k"), 1, 1, 1)), one.previous());
        assertEquals(4, single.size());

        final KvTable prefix = tableWith("k", "k1", "k2", "l", "z");
        final OpResult.DeleteResult byPrefix = (OpResult.DeleteResult) prefix.apply(2,
            List.of(new Op.DeleteRange(b("k"), KeyRanges.prefixEnd(b("k")), false))).get(0);
        assertEquals(new OpResult.DeleteResult(3, List.of()), byPrefix, "no previous unless asked for");
        assertEquals(List.of("l", "z"), keysOf(prefix.range(b("a"), KeyRanges.toEnd(), 0, false, false)));

        final KvTable toEnd = tableWith("k", "k1", "k2", "l", "z");
        final OpResult.DeleteResult rest = (OpResult.DeleteResult) toEnd.apply(2,
            List.of(new Op.DeleteRange(b("k2"), KeyRanges.toEnd(), true))).get(0);
        assertEquals(3, rest.deletedCount());
        assertEquals(List.of("k2", "l", "z"), rest.previous().stream().map(kv -> new String(kv.key())).toList());
        assertEquals(2, toEnd.size());

        final KvTable nothing = tableWith("a");
        assertEquals(new OpResult.DeleteResult(0, List.of()), nothing.apply(2,
            List.of(new Op.DeleteRange(b("b"), null, true))).get(0));
        assertEquals(2, nothing.lastAppliedRevision(), "a batch that changes nothing still advances the revision");
    }

    @Test
    void sizeAndApproximateSizeBytesAreKeptIncrementally() {
        final KvTable t = new KvTable();
        t.apply(1, List.of(put("ab", "123"), put("c", "")));
        assertEquals(2, t.size());
        assertEquals(6, t.approximateSizeBytes());
        t.apply(2, List.of(put("ab", "1")));
        assertEquals(4, t.approximateSizeBytes());
        t.apply(3, List.of(new Op.DeleteRange(b("a"), KeyRanges.toEnd(), false)));
        assertEquals(0, t.size());
        assertEquals(0, t.approximateSizeBytes());
    }

    @Test
    void txnTakesTheBranchItsComparesChoose() {
        final KvTable t = new KvTable();
        t.apply(4, List.of(put("x", "old")));
        final Op.Txn cas = new Op.Txn(List.of(Compare.value(b("x"), Compare.Result.EQUAL, b("old")),
            Compare.number(b("x"), Compare.Target.VERSION, Compare.Result.EQUAL, 1),
            Compare.number(b("x"), Compare.Target.MOD_REVISION, Compare.Result.LESS, 5),
            Compare.number(b("x"), Compare.Target.CREATE_REVISION, Compare.Result.GREATER, 3)),
            List.of(new Op.Put(b("x"), b("new"), true), put("y", "1")),
            List.of(new Op.Range(b("x"), null, 0, false, false)));
        final OpResult.TxnResult won = (OpResult.TxnResult) t.apply(5, List.of(cas)).get(0);
        assertTrue(won.succeeded());
        assertEquals(List.of(new OpResult.PutResult(new KeyValue(b("x"), b("old"), 4, 4, 1)),
            new OpResult.PutResult(null)), won.results());
        assertEquals(new KeyValue(b("x"), b("new"), 4, 5, 2), t.get(b("x")));
        assertEquals(new KeyValue(b("y"), b("1"), 5, 5, 1), t.get(b("y")), "txn writes get the batch revision");

        final OpResult.TxnResult lost = (OpResult.TxnResult) t.apply(6, List.of(cas)).get(0);
        assertFalse(lost.succeeded());
        assertEquals(List.of(new OpResult.RangeResult(List.of(t.get(b("x"))), 1, false)), lost.results());
        assertEquals(5, t.get(b("x")).modRevision(), "the failure branch only read");
        assertEquals(6, t.lastAppliedRevision());
    }

    @Test
    void anEmptyTxnSucceedsAndItsBranchSeesEarlierOpsOfTheBatch() {
        final KvTable t = new KvTable();
        final Op.Txn txn = new Op.Txn(List.of(Compare.value(b("k"), Compare.Result.EQUAL, b("v"))),
            List.of(new Op.Range(b("k"), null, 0, false, false)), List.of());
        final List<OpResult> r = t.apply(1, List.of(put("k", "v"), txn, new Op.Txn(List.of(), List.of(), List.of())));
        assertTrue(((OpResult.TxnResult) r.get(1)).succeeded(), "the compare sees the put before it");
        assertEquals(new OpResult.TxnResult(true, List.of()), r.get(2));
    }

    @Test
    void theTableCopiesWhatItStores() {
        final KvTable t = new KvTable();
        final byte[] key = b("k");
        final byte[] value = b("v");
        t.apply(1, List.of(new Op.Put(key, value, false)));
        key[0] = 'z';
        value[0] = 'w';
        assertEquals(new KeyValue(b("k"), b("v"), 1, 1, 1), t.get(b("k")));
    }

    @Test
    void digestIsEqualForEqualContentAndDiffersForAnyField() {
        final KvTable a = new KvTable();
        final KvTable b = new KvTable();
        a.apply(1, List.of(put("k", "v"), put("j", "w"), put("gone", "x")));
        a.apply(2, List.of(new Op.DeleteRange(b("gone"), null, false)));
        b.apply(1, List.of(put("j", "w"), put("k", "v")));
        b.apply(2, List.of(new Op.DeleteRange(b("absent"), null, false)));
        assertEquals(a.digest(), b.digest(), "same content and revision, built by different ops");
        final KeyValue k = new KeyValue(b("k"), b("v"), 1, 1, 1);
        final KeyValue j = new KeyValue(b("j"), b("w"), 1, 1, 1);
        assertEquals(a.digest(), KvTable.restore(2, List.of(k, j)).digest(), "insertion order does not matter");
        assertEquals(a.digest(), KvTable.restore(3, List.of(k, j)).digest(),
            "the revision counter is not content: a snapshot at a later no-op entry holds the same data");
        assertNotEquals(a.digest(), KvTable.restore(2, List.of(k)).digest(), "a missing entry");
        assertNotEquals(a.digest(), KvTable.restore(2, List.of(k, new KeyValue(b("j2"), b("w"), 1, 1, 1))).digest(),
            "key");
        assertNotEquals(a.digest(), KvTable.restore(2, List.of(k, new KeyValue(b("j"), b("x"), 1, 1, 1))).digest(),
            "value");
        assertNotEquals(a.digest(), KvTable.restore(2, List.of(k, new KeyValue(b("j"), b("w"), 1, 2, 1))).digest(),
            "modRevision");
        assertNotEquals(a.digest(), KvTable.restore(2, List.of(k, new KeyValue(b("j"), b("w"), 2, 2, 1))).digest(),
            "createRevision");
        assertNotEquals(a.digest(), KvTable.restore(2, List.of(k, new KeyValue(b("j"), b("w"), 1, 1, 2))).digest(),
            "version");
        assertNotEquals(KvTable.restore(2, List.of(new KeyValue(b("ab"), b("c"), 1, 1, 1))).digest(),
            KvTable.restore(2, List.of(new KeyValue(b("a"), b("bc"), 1, 1, 1))).digest(), "key/value boundary");
    }

    @Test
    void restoreChecksItsInput() {
        final KeyValue kv = new KeyValue(b("k"), b("v"), 1, 5, 2);
        final KvTable t = KvTable.restore(5, List.of(kv));
        assertEquals(5, t.lastAppliedRevision());
        assertEquals(1, t.size());
        assertEquals(2, t.approximateSizeBytes());
        assertThrows(IllegalArgumentException.class, () -> KvTable.restore(4, List.of(kv)), "entry newer than table");
        assertThrows(IllegalArgumentException.class, () -> KvTable.restore(5, List.of(kv, kv)), "duplicate");
        assertThrows(IllegalArgumentException.class, () -> t.apply(5, List.of(put("a", "b"))));
        t.apply(6, List.of(put("k", "w")));
        assertEquals(new KeyValue(b("k"), b("w"), 1, 6, 3), t.get(b("k")));
    }

    @Test
    void forEachVisitsKeysInUnsignedOrder() {
        final KvTable t = new KvTable();
        t.apply(1, List.of(new Op.Put(new byte[] {(byte) 0xff}, b("1"), false), new Op.Put(new byte[] {0x7f}, b("2"),
            false), new Op.Put(new byte[] {0x00}, b("3"), false), new Op.Put(new byte[] {(byte) 0x80}, b("4"), false)));
        final List<Integer> firstBytes = new ArrayList<>();
        t.forEach(kv -> firstBytes.add(kv.key()[0] & 0xFF));
        assertEquals(List.of(0x00, 0x7f, 0x80, 0xff), firstBytes);
    }

    @Test
    void keyValueChecksItsInvariantsAndPrintsReadably() {
        assertThrows(IllegalArgumentException.class, () -> new KeyValue(new byte[0], b("v"), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeyValue(b("k"), null, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeyValue(b("k"), b("v"), 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeyValue(b("k"), b("v"), 2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeyValue(b("k"), b("v"), 1, 1, 0));
        assertEquals("KeyValue['key' = 0x00ff, createRevision=1, modRevision=2, version=3]",
            new KeyValue(b("key"), new byte[] {0, (byte) 0xff}, 1, 2, 3).toString());
        assertEquals(new KeyValue(b("k"), b("v"), 1, 2, 3).hashCode(), new KeyValue(b("k"), b("v"), 1, 2, 3).hashCode());
    }
}

package io.duetdb.storage.table;

import static io.duetdb.storage.table.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every target with every result, on a present and a missing key, through the table. */
class CompareTest {
    private static final Compare.Result EQ = Compare.Result.EQUAL;
    private static final Compare.Result NE = Compare.Result.NOT_EQUAL;
    private static final Compare.Result GT = Compare.Result.GREATER;
    private static final Compare.Result LT = Compare.Result.LESS;

    /** A table where "k" has value "m", createRevision 2, modRevision 4, version 3; "missing" is absent. */
    private static KvTable table() {
        final KvTable t = new KvTable();
        t.apply(2, List.of(new Op.Put(b("k"), b("a"), false)));
        t.apply(3, List.of(new Op.Put(b("k"), b("b"), false)));
        t.apply(4, List.of(new Op.Put(b("k"), b("m"), false)));
        return t;
    }

    /** Runs the compare as a txn guard at the next revision and returns which branch ran. */
    private static boolean holds(final Compare c) {
        final KvTable t = table();
        final OpResult.TxnResult r = (OpResult.TxnResult) t.apply(5, List.of(new Op.Txn(List.of(c),
            List.of(new Op.Put(b("ran"), b("success"), false)), List.of(new Op.Put(b("ran"), b("failure"), false)))))
            .get(0);
        assertEquals(r.succeeded() ? "success" : "failure", new String(t.get(b("ran")).value()), c.toString());
        assertEquals(c.test(table().get(c.key())), r.succeeded(), "Compare.test agrees with the table: " + c);
        return r.succeeded();
    }

    private static void expect(final Compare.Target target, final long operand, final boolean eq, final boolean ne,
                               final boolean gt, final boolean lt, final String key) {
        final List<Compare.Result> results = List.of(EQ, NE, GT, LT);
        final boolean[] expected = {eq, ne, gt, lt};
        for (int i = 0; i < 4; i++) {
            final Compare c = Compare.number(b(key), target, results.get(i), operand);
            assertEquals(expected[i], holds(c), c.toString());
        }
    }

    private static void expectValue(final byte[] operand, final boolean eq, final boolean ne, final boolean gt,
                                    final boolean lt, final String key) {
        final List<Compare.Result> results = List.of(EQ, NE, GT, LT);
        final boolean[] expected = {eq, ne, gt, lt};
        for (int i = 0; i < 4; i++) {
            final Compare c = Compare.value(b(key), results.get(i), operand);
            assertEquals(expected[i], holds(c), c.toString());
        }
    }

    @Test
    void numberTargetsOnAPresentKey() {
        expect(Compare.Target.VERSION, 3, true, false, false, false, "k");
        expect(Compare.Target.VERSION, 2, false, true, true, false, "k");
        expect(Compare.Target.VERSION, 4, false, true, false, true, "k");
        expect(Compare.Target.CREATE_REVISION, 2, true, false, false, false, "k");
        expect(Compare.Target.CREATE_REVISION, 1, false, true, true, false, "k");
        expect(Compare.Target.CREATE_REVISION, 3, false, true, false, true, "k");
        expect(Compare.Target.MOD_REVISION, 4, true, false, false, false, "k");
        expect(Compare.Target.MOD_REVISION, 3, false, true, true, false, "k");
        expect(Compare.Target.MOD_REVISION, 5, false, true, false, true, "k");
    }

    @Test
    void numberTargetsOnAMissingKeyCompareZero() {
        for (final Compare.Target target : List.of(Compare.Target.VERSION, Compare.Target.CREATE_REVISION,
                Compare.Target.MOD_REVISION)) {
            expect(target, 0, true, false, false, false, "missing");
            expect(target, 1, false, true, false, true, "missing");
            expect(target, -1, false, true, true, false, "missing");
        }
    }

    @Test
    void valueTargetOnAPresentKeyComparesUnsignedBytes() {
        expectValue(b("m"), true, false, false, false, "k");
        expectValue(b("l"), false, true, true, false, "k");
        expectValue(b("ma"), false, true, false, true, "k");
        expectValue(new byte[] {(byte) 0x80}, false, true, false, true, "k"); // 0x80 > 'm' unsigned
        expectValue(null, false, true, true, false, "k"); // null operand = empty value
    }

    @Test
    void valueTargetOnAMissingKeyNeverHoldsAsInEtcd() {
        expectValue(b("m"), false, false, false, false, "missing");
        expectValue(new byte[0], false, false, false, false, "missing");
        expectValue(null, false, false, false, false, "missing");
    }

    @Test
    void anEmptyValueEqualsAnEmptyOrNullOperand() {
        final KeyValue empty = new KeyValue(b("e"), new byte[0], 1, 1, 1);
        assertEquals(true, Compare.value(b("e"), EQ, null).test(empty));
        assertEquals(true, Compare.value(b("e"), EQ, new byte[0]).test(empty));
    }

    @Test
    void structureIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Compare(null, Compare.Target.VALUE, EQ, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new Compare(b("k"), null, EQ, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new Compare(b("k"), Compare.Target.VALUE, null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> Compare.number(b("k"), Compare.Target.VALUE, EQ, 0));
        assertEquals("Compare[VERSION('k') GREATER 3]", Compare.number(b("k"), Compare.Target.VERSION, GT, 3)
            .toString());
    }
}

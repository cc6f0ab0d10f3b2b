package io.duetdb.storage.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpaceCostTest {
    private static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Op.Put put(final String key, final int valueBytes) {
        return new Op.Put(b(key), new byte[valueBytes], false);
    }

    @Test
    void aTableCostsItsBytesPlusTheOverheadOfEachKey() {
        final KvTable t = new KvTable();
        t.apply(1, List.of(put("a", 10), put("bb", 20)));
        assertEquals(1 + 10 + 2 + 20 + 2 * SpaceCost.PER_KEY_OVERHEAD_BYTES, SpaceCost.ofTable(t));
        t.apply(2, List.of(new Op.DeleteRange(b("a"), null, false)));
        assertEquals(2 + 20 + SpaceCost.PER_KEY_OVERHEAD_BYTES, SpaceCost.ofTable(t));
    }

    @Test
    void aPutGrowsByANewEntryOrByWhatItsValueAdds() {
        final KvTable t = new KvTable();
        t.apply(1, List.of(put("k", 100)));
        assertEquals(SpaceCost.ofEntry(3, 50), SpaceCost.growthBytes(t, put("new", 50)), "a new key");
        assertEquals(40, SpaceCost.growthBytes(t, put("k", 140)), "a larger value");
        assertEquals(0, SpaceCost.growthBytes(t, put("k", 10)), "a smaller value adds nothing");
        assertEquals(0, SpaceCost.growthBytes(t, new Op.DeleteRange(b("k"), null, false)));
    }

    @Test
    void aTransactionGrowsByTheBranchItsComparesPick() {
        final KvTable t = new KvTable();
        t.apply(1, List.of(put("k", 1)));
        final Op.Txn txn = new Op.Txn(List.of(Compare.number(b("k"), Compare.Target.VERSION, Compare.Result.EQUAL, 1)),
            List.of(put("s1", 10), put("s2", 10)), List.of(put("f", 1000)));
        assertEquals(2 * SpaceCost.ofEntry(2, 10), SpaceCost.growthBytes(t, txn), "the compare holds: success");
        t.apply(2, List.of(put("k", 1)));
        assertEquals(SpaceCost.ofEntry(1, 1000), SpaceCost.growthBytes(t, txn), "version 2 now: failure");
    }

    @Test
    void negativeSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SpaceCost.ofEntry(-1, 0));
    }
}

package io.duetdb.storage.table;

import static io.duetdb.storage.table.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResultCodecTest {
    private static final KeyValue KV = new KeyValue(b("k"), b("v"), 1, 2, 3);

    private static List<OpResult> base() {
        return List.of(new OpResult.PutResult(KV), new OpResult.PutResult(null),
            new OpResult.DeleteResult(2, List.of(KV)), new OpResult.RangeResult(List.of(KV), 5, true),
            new OpResult.TxnResult(true, List.of(new OpResult.PutResult(null))));
    }

    @Test
    void equalResultsGiveEqualChecksums() {
        assertEquals(ResultCodec.checksum(base()), ResultCodec.checksum(base()));
        assertEquals(ResultCodec.checksum(List.of(new OpResult.PutResult(KV))),
            ResultCodec.checksum(List.of(new OpResult.PutResult(new KeyValue(b("k"), b("v"), 1, 2, 3)))),
            "content, not identity");
    }

    @Test
    void theResultsOfReplayingABatchChecksumTheSame() {
        final List<Op> batch = List.of(new Op.Put(b("a"), b("1"), true), new Op.DeleteRange(b("a"), KeyRanges.toEnd(),
            true), new Op.Txn(List.of(), List.of(new Op.Range(b("a"), null, 0, false, false)), List.of()));
        final KvTable first = new KvTable();
        final KvTable second = new KvTable();
        assertEquals(ResultCodec.checksum(first.apply(7, batch)), ResultCodec.checksum(second.apply(7, batch)));
    }

    @Test
    void anyChangeGivesADifferentChecksum() {
        final List<List<OpResult>> variants = List.of(
            base(),
            List.of(),
            List.of(new OpResult.PutResult(null)),
            List.of(new OpResult.PutResult(KV)),
            List.of(new OpResult.PutResult(new KeyValue(b("k2"), b("v"), 1, 2, 3))),
            List.of(new OpResult.PutResult(new KeyValue(b("k"), b("v2"), 1, 2, 3))),
            List.of(new OpResult.PutResult(new KeyValue(b("k"), b("v"), 2, 2, 3))),
            List.of(new OpResult.PutResult(new KeyValue(b("k"), b("v"), 1, 3, 3))),
            List.of(new OpResult.PutResult(new KeyValue(b("k"), b("v"), 1, 2, 4))),
            List.of(new OpResult.PutResult(new KeyValue(b("kv"), b(""), 1, 2, 3))),
            List.of(new OpResult.DeleteResult(0, List.of())),
            List.of(new OpResult.DeleteResult(1, List.of())),
            List.of(new OpResult.DeleteResult(1, List.of(KV))),
            List.of(new OpResult.RangeResult(List.of(), 0, false)),
            List.of(new OpResult.RangeResult(List.of(), 1, false)),
            List.of(new OpResult.RangeResult(List.of(), 1, true)),
            List.of(new OpResult.RangeResult(List.of(KV), 1, false)),
            List.of(new OpResult.TxnResult(true, List.of())),
            List.of(new OpResult.TxnResult(false, List.of())),
            List.of(new OpResult.TxnResult(true, List.of(new OpResult.PutResult(null)))),
            List.of(new OpResult.TxnResult(true, List.of()), new OpResult.PutResult(null)),
            List.of(new OpResult.PutResult(null), new OpResult.TxnResult(true, List.of())),
            List.of(new OpResult.PutResult(null), new OpResult.PutResult(null)));
        final Set<Integer> checksums = new HashSet<>();
        for (final List<OpResult> v : variants) {
            checksums.add(ResultCodec.checksum(v));
        }
        assertEquals(variants.size(), checksums.size(), "every variant has its own checksum");
        assertNotEquals(ResultCodec.checksum(base()), ResultCodec.checksum(base().subList(0, 4)));
        assertThrows(IllegalArgumentException.class, () -> ResultCodec.checksum(null));
    }
}

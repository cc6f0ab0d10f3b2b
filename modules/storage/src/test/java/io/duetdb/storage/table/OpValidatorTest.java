package io.duetdb.storage.table;

import static io.duetdb.storage.table.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OpValidatorTest {
    /** maxKeyBytes 8, maxValueBytes 16, maxOpsPerTxn 2, maxBatchOps 5, maxBatchBytes 64. */
    private final OpValidator validator = new OpValidator(new Limits(8, 16, 2, 5, 64));
    private final Op.Put ok = new Op.Put(b("k"), b("v"), false);

    private static void refused(final Executable call, final String... mentions) {
        final InvalidOpException e = assertThrows(InvalidOpException.class, call);
        for (final String mention : mentions) {
            assertTrue(e.getMessage().contains(mention), "'" + e.getMessage() + "' should mention '" + mention + "'");
        }
    }

    private void refusedBatch(final List<Op> batch, final String... mentions) {
        refused(() -> validator.validateBatch(batch), mentions);
    }

    private static Op.Txn txn(final List<Compare> compares, final List<Op> success, final List<Op> failure) {
        return new Op.Txn(compares, success, failure);
    }

    @Test
    void keyLimits() {
        refusedBatch(List.of(new Op.Put(new byte[0], b("v"), false)), "key is empty", "maxKeyBytes");
        refusedBatch(List.of(new Op.Put(b("123456789"), b("v"), false)),
            "op 0 (put): key is 9 bytes; the limit is 8 bytes (maxKeyBytes)");
        refusedBatch(List.of(ok, new Op.DeleteRange(b("123456789"), null, false)), "op 1", "9 bytes", "maxKeyBytes");
        refusedBatch(List.of(new Op.Range(new byte[0], null, 0, false, false)), "key is empty");
        refusedBatch(List.of(new Op.DeleteRange(b("a"), b("b23456789"), false)), "range end is 9 bytes", "maxKeyBytes");
        refusedBatch(List.of(txn(List.of(Compare.value(b("123456789"), Compare.Result.EQUAL, null)), List.of(),
            List.of())), "compare 0", "9 bytes", "maxKeyBytes");
    }

    @Test
    void theDefaultKeyLimitMessageReadsAsDocumented() {
        final OpValidator defaults = new OpValidator(Limits.defaults());
        final InvalidOpException e = assertThrows(InvalidOpException.class,
            () -> defaults.validateBatch(List.of(new Op.Put(new byte[5000], b("v"), false))));
        assertEquals("op 0 (put): key is 5000 bytes; the limit is 4096 bytes (maxKeyBytes)", e.getMessage());
    }

    @Test
    void valueLimits() {
        refusedBatch(List.of(new Op.Put(b("k"), new byte[17], false)), "value is 17 bytes", "16 bytes (maxValueBytes)");
        refusedBatch(List.of(txn(List.of(Compare.value(b("k"), Compare.Result.EQUAL, new byte[17])), List.of(),
            List.of())), "value operand is 17 bytes", "maxValueBytes");
        refusedBatch(List.of(txn(List.of(), List.of(new Op.Put(b("k"), new byte[17], false)), List.of())),
            "success op 0", "maxValueBytes");
    }

    @Test
    void opCountLimits() {
        refusedBatch(Collections.nCopies(6, ok), "6 ops", "5 ops (maxBatchOps)");
        refusedBatch(List.of(ok, ok, txn(List.of(), List.of(ok, ok), List.of(ok, ok))), "7 ops", "counting those inside",
            "maxBatchOps");
        refusedBatch(List.of(txn(List.of(), Collections.nCopies(3, ok), List.of())), "3 success ops", "maxOpsPerTxn");
        refusedBatch(List.of(txn(List.of(), List.of(), Collections.nCopies(3, ok))), "3 failure ops", "maxOpsPerTxn");
        refusedBatch(List.of(txn(Collections.nCopies(3, Compare.value(b("k"), Compare.Result.EQUAL, null)), List.of(),
            List.of())), "3 compares", "maxOpsPerTxn");
        refusedBatch(List.of(), "empty", "maxBatchOps");
        refused(() -> validator.validateBatch(null), "empty");
    }

    @Test
    void batchBytesLimit() {
        final List<Op> batch = List.of(new Op.Put(b("k1"), new byte[16], false), new Op.Put(b("k2"), new byte[16], false),
            new Op.Put(b("k3"), new byte[16], false), new Op.Put(b("k4"), new byte[16], false));
        refusedBatch(batch, "72 bytes", "64 bytes (maxBatchBytes)");
    }

    @Test
    void nestedTransactionsAreRefused() {
        refusedBatch(List.of(txn(List.of(), List.of(txn(List.of(), List.of(), List.of())), List.of())),
            "op 0 success op 0", "cannot be nested");
        refusedBatch(List.of(txn(List.of(), List.of(), List.of(txn(List.of(), List.of(), List.of())))),
            "failure op 0", "cannot be nested");
    }

    @Test
    void malformedRangesAreRefused() {
        refusedBatch(List.of(new Op.DeleteRange(b("b"), b("a"), false)), "range end 'a' is not after the key 'b'");
        refusedBatch(List.of(new Op.Range(b("b"), b("b"), 0, false, false)), "not after");
        refusedBatch(List.of(txn(List.of(), List.of(new Op.Range(b("b"), b("a"), 0, false, false)), List.of())),
            "success op 0 (range)", "not after");
    }

    @Test
    void validRequestsPass() {
        assertDoesNotThrow(() -> validator.validateBatch(List.of(new Op.Put(b("12345678"), new byte[16], false))));
        assertDoesNotThrow(() -> validator.validateBatch(List.of(new Op.DeleteRange(b("a"), null, true),
            new Op.DeleteRange(b("a"), new byte[0], false), new Op.DeleteRange(b("a"), KeyRanges.toEnd(), false),
            new Op.Range(b("a"), b("b"), 3, true, false), new Op.Put(b("k"), new byte[0], false))));
        assertDoesNotThrow(() -> validator.validateBatch(List.of(new Op.Range(new byte[] {(byte) 0xff},
            KeyRanges.prefixEnd(new byte[] {(byte) 0xff}), 0, false, false))), "prefixEnd of 0xff is {0}");
        assertDoesNotThrow(() -> validator.validateBatch(List.of(txn(List.of(Compare.value(b("k"),
            Compare.Result.EQUAL, new byte[16]), Compare.number(b("k"), Compare.Target.VERSION, Compare.Result.LESS, 1)),
            List.of(ok, ok), List.of(ok, ok)))));
    }

    @Test
    void limitsCheckThemselves() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(1, -1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(1, 1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(1, 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(1, 1, 1, 1, 0));
        assertEquals(new Limits(4096, 1 << 20, 128, 10_000, 2 << 20), Limits.defaults());
        assertEquals(8 << 20, new Limits(4096, 8 << 20, 128, 10_000).maxBatchBytes() - 4096,
            "the four-limit form leaves room for one largest put");
        assertThrows(IllegalArgumentException.class, () -> new OpValidator(null));
    }

    @Test
    void opRecordsCheckTheirStructure() {
        assertThrows(IllegalArgumentException.class, () -> new Op.Put(null, b("v"), false));
        assertThrows(IllegalArgumentException.class, () -> new Op.Put(b("k"), null, false));
        assertThrows(IllegalArgumentException.class, () -> new Op.DeleteRange(null, null, false));
        assertThrows(IllegalArgumentException.class, () -> new Op.Range(b("k"), null, -1, false, false));
        assertThrows(IllegalArgumentException.class, () -> new Op.Txn(null, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Op.Txn(List.of(), java.util.Arrays.asList(ok, null),
            List.of()));
    }
}

package io.duetdb.storage.table;

import static io.duetdb.storage.table.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OpValidatorTest {
    private final OpValidator validator = new OpValidator(new Limits(8, 16, 2, 5, 1024));

    private static void refused(final Executable call, final String mention) {
        final InvalidOpException e = assertThrows(InvalidOpException.class, call);
        assertTrue(e.getMessage().contains(mention), "'" + e.getMessage() + "' should mention " + mention);
    }

    @Test
    void everyLimitIsNamedWhenBroken() {
        refused(() -> validator.validateBatch(List.of(new Op.Put(new byte[0], b("v"), false))), "empty");
        refused(() -> validator.validateBatch(List.of(new Op.Put(b("123456789"), b("v"), false))), "maxKeyBytes");
        refused(() -> validator.validateBatch(List.of(new Op.Put(b("k"), new byte[17], false))), "maxValueBytes");
        refused(() -> validator.validateBatch(Collections.nCopies(6, new Op.Put(b("k"), b("v"), false))), "maxBatchOps");
        refused(() -> validator.validateBatch(List.of(new Op.Txn(List.of(), Collections.nCopies(3,
            new Op.Put(b("k"), b("v"), false)), List.of()))), "maxOpsPerTxn");
        refused(() -> validator.validateBatch(List.of(new Op.Txn(List.of(), List.of(new Op.Txn(List.of(), List.of(),
            List.of())), List.of()))), "nested");
        refused(() -> validator.validateBatch(List.of(new Op.DeleteRange(b("b"), b("a"), false))), "not after");
        refused(() -> validator.validateBatch(List.of(new Op.Range(b("a"), null, -1, false, false))), "limit");
        refused(() -> validator.validateBatch(List.of()), "at least one op");
        final OpValidator bytes = new OpValidator(new Limits(8, 1000, 2, 5, 100));
        refused(() -> bytes.validateBatch(List.of(new Op.Put(b("k"), new byte[200], false))), "maxBatchBytes");
    }

    @Test
    void validRequestsPass() {
        assertDoesNotThrow(() -> validator.validateBatch(List.of(new Op.Put(b("k"), new byte[16], false),
            new Op.DeleteRange(b("a"), KeyRanges.TO_END, false), new Op.Range(b("a"), b("b"), 0, true, false))));
    }
}

package io.duetdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The value types: key order, prefix ends, paging, compares, and the builder's checks. No cluster. */
class QueriesAndBytesTest {
    private static Bytes hex(final int... bytes) {
        final byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Bytes.of(b);
    }

    @Test
    void bytesCompareUnsignedAndPrintReadably() {
        assertTrue(hex(0x7f).compareTo(hex(0x80)) < 0, "0x80 sorts after 0x7f as an unsigned byte");
        assertTrue(Bytes.of("a").compareTo(Bytes.of("ab")) < 0);
        assertEquals(Bytes.of("key"), Bytes.of("key".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("key", Bytes.of("key").toString());
        assertEquals("0x00ff", hex(0, 0xff).toString());
    }

    @Test
    void prefixEndIsTheSmallestKeyAfterThePrefix() {
        assertEquals(Bytes.of("b"), RangeQuery.prefix("a").rangeEnd());
        assertEquals(Bytes.of("jobs0"), RangeQuery.prefix("jobs/").rangeEnd());
        assertEquals(hex(0x61, 0x62), RangeQuery.prefix(hex(0x61, 0x61, 0xff)).rangeEnd(), "trailing 0xff dropped");
        assertEquals(RangeQuery.TO_END, RangeQuery.prefix(hex(0xff, 0xff)).rangeEnd(), "all 0xff: to the end");
        assertEquals(Bytes.EMPTY, RangeQuery.key("k").rangeEnd());
    }

    @Test
    void nextPageStartsJustAfterTheLastKeyWithTheSameRange() {
        final RangeQuery q = RangeQuery.prefix("p/").limit(2).keysOnly();
        final Header h = new Header(7, "n1", 1, "c");
        final RangeResult page = new RangeResult(h, List.of(new KeyValue(Bytes.of("p/1"), Bytes.EMPTY, 1, 1, 1),
            new KeyValue(Bytes.of("p/2"), Bytes.EMPTY, 2, 2, 1)), true, 5);
        final RangeQuery next = q.after(page);
        assertEquals(Bytes.of("p/2").concat(RangeQuery.TO_END), next.key());
        assertEquals(q.rangeEnd(), next.rangeEnd());
        assertEquals(2, next.limit());
        assertTrue(next.isKeysOnly());
        assertThrows(IllegalArgumentException.class, () -> RangeQuery.key("k").after(page));
    }

    @Test
    void comparesAndOpsRefuseNonsense() {
        assertEquals(Compare.Target.MOD_REVISION, Compare.modRevision("k").lessThan(3).target());
        assertThrows(IllegalArgumentException.class, () -> new Compare(Bytes.of("k"), Compare.Target.VERSION,
            Compare.Operator.EQUAL, Bytes.of("v"), 0));
        assertThrows(IllegalArgumentException.class, () -> RangeQuery.prefix("p").limit(-1));
        assertThrows(IllegalArgumentException.class, () -> DuetClient.builder().endpoints("no-port"));
        assertThrows(IllegalArgumentException.class, () -> DuetClient.builder().endpoints("host:99999"));
        assertThrows(IllegalArgumentException.class, () -> DuetClient.builder().build());
        final IllegalArgumentException missingCa = assertThrows(IllegalArgumentException.class,
            () -> DuetClient.builder().endpoints("127.0.0.1:1").trustedCaFile(java.nio.file.Path.of("/no/such/ca.pem"))
                .build());
        assertTrue(missingCa.getMessage().contains("/no/such/ca.pem"), missingCa.getMessage());
    }
}

package io.duetdb.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpaceQuotaSizingTest {
    private static final long HEAP = 1000L << 20;

    @Test
    void autoIsFortyPercentOfTheHeap() {
        assertEquals(HEAP / 100 * 40, SpaceQuotaSizing.resolve("auto", HEAP));
        assertEquals(HEAP / 100 * 40, SpaceQuotaSizing.resolve(" AUTO ", HEAP));
        assertEquals(SpaceQuotaSizing.MIN_QUOTA_BYTES, SpaceQuotaSizing.resolve("auto", 1L << 20), "a tiny heap");
    }

    @Test
    void aNumberIsTakenWhenTheHeapHoldsIt() {
        assertEquals(HEAP / 100 * 60, SpaceQuotaSizing.resolve(String.valueOf(HEAP / 100 * 60), HEAP));
    }

    @Test
    void aQuotaTheHeapCannotHoldIsRefusedWithTheNumbers() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SpaceQuotaSizing.resolve(String.valueOf(HEAP), HEAP));
        assertTrue(e.getMessage().contains("(1000 MiB) does not fit this node's heap"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 60% of the JVM's max heap of 1000 MiB, that is 629145600 bytes"),
            e.getMessage());
    }

    @Test
    void garbageAndTinyQuotasAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SpaceQuotaSizing.resolve("lots", HEAP));
        assertThrows(IllegalArgumentException.class, () -> SpaceQuotaSizing.resolve("1000", HEAP));
    }
}

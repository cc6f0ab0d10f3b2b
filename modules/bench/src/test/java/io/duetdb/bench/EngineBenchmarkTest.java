package io.duetdb.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EngineBenchmarkTest {
    @Test
    void keysAreTheFormattedWriterAndSequence() {
        for (final long n : new long[] {0, 7, 42, 999_999, 1_000_000, 1_234_567}) {
            final byte[] expected = String.format("k%07d-%07d", 3, n % 1_000_000).getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(expected, EngineBenchmark.key(3, n), "key of put " + n);
        }
        assertEquals(EngineBenchmark.KEY_BYTES, EngineBenchmark.key(255, 5).length);
    }

    @Test
    void aWriterNumberOverSevenDigitsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EngineBenchmark.key(10_000_000, 1));
    }
}

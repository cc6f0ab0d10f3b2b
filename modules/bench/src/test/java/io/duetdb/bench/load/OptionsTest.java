package io.duetdb.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage errors are caught before anything connects; keys have the promised shape. */
class OptionsTest {
    private static LoadSpec spec(final int clients, final int conns, final long total, final long durationMs,
                                 final int keyBytes, final long keySpace) {
        return new LoadSpec(Workload.PUT, Target.DUET, List.of("127.0.0.1:1"), clients, conns, total, durationMs, 0,
            keyBytes, 256, keySpace, false, 0, false, 0, 1000);
    }

    @Test
    void badCombinationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> spec(4, 8, 0, 1000, 8, 100), "more conns than clients");
        assertThrows(IllegalArgumentException.class, () -> spec(4, 1, 100, 1000, 8, 100), "both total and duration");
        assertThrows(IllegalArgumentException.class, () -> spec(4, 1, 0, 0, 8, 100), "neither");
        assertThrows(IllegalArgumentException.class, () -> spec(4, 1, 0, 1000, 3, 100_000), "keys too short");
        assertEquals(4, spec(4, 1, 0, 1000, 5, 100_000).clients(), "5 digits hold 0..99999");
    }

    @Test
    void badUsageExitsWithTwoAndConnectsNowhere() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(2, BenchMain.execute(ps, "put", "--clients", "1", "--conns", "2"));
        assertEquals(2, BenchMain.execute(ps, "put", "--target", "mysql"));
        assertEquals(2, BenchMain.execute(ps, "range", "--consistency", "x"));
        assertEquals(2, BenchMain.execute(ps, "put", "--duration", "ten"));
        assertEquals(2, BenchMain.execute(ps, "scan"));
    }

    @Test
    void durationsParse() {
        assertEquals(500, BenchMain.millis("500ms"));
        assertEquals(10_000, BenchMain.millis("10s"));
        assertEquals(90_000, BenchMain.millis("1.5m"));
        assertThrows(IllegalArgumentException.class, () -> BenchMain.millis("10"));
    }

    @Test
    void keysAreFixedWidthDecimalAndSequentialKeysWrap() {
        final Keys keys = new Keys(6, 3, true);
        assertArrayEquals("000000".getBytes(StandardCharsets.US_ASCII), keys.next());
        assertArrayEquals("000001".getBytes(StandardCharsets.US_ASCII), keys.next());
        assertArrayEquals("000002".getBytes(StandardCharsets.US_ASCII), keys.next());
        assertArrayEquals("000000".getBytes(StandardCharsets.US_ASCII), keys.next(), "wraps at the key space");
        final Keys random = new Keys(4, 50, false);
        for (int i = 0; i < 1000; i++) {
            final int n = Integer.parseInt(new String(random.next(), StandardCharsets.US_ASCII));
            assertTrue(n >= 0 && n < 50, "key " + n + " outside the key space");
        }
        assertEquals(1, Keys.digits(0));
        assertEquals(5, Keys.digits(99_999));
        assertEquals(6, Keys.digits(100_000));
    }

    @Test
    void errorKindsUseTheStatusCodeNotTheMessage() {
        assertEquals("StatusRuntimeException UNAVAILABLE", ErrorKinds.kindOf(
            io.grpc.Status.UNAVAILABLE.withDescription("io exception at 127.0.0.1:4242").asRuntimeException()));
        assertEquals("TimeoutException", ErrorKinds.kindOf(new java.util.concurrent.TimeoutException()));
        final ErrorKinds kinds = new ErrorKinds();
        for (int i = 0; i < ErrorKinds.MAX_KINDS + 5; i++) {
            final String code = "ERR_" + (char) ('A' + i % 26) + (char) ('A' + i / 26);
            kinds.add(new IllegalStateException(code + ": failure " + i));
        }
        assertEquals(ErrorKinds.MAX_KINDS + 1, kinds.snapshot().size(), "capped, the rest under 'other'");
    }
}

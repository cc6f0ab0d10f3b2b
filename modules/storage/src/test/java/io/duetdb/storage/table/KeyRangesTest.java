package io.duetdb.storage.table;

import static io.duetdb.storage.table.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyRangesTest {
    private static final byte FF = (byte) 0xff;

    @Test
    void prefixEndIncrementsTheLastByteBelowFf() {
        assertArrayEquals(b("ac"), KeyRanges.prefixEnd(b("ab")));
        assertArrayEquals(new byte[] {'b'}, KeyRanges.prefixEnd(new byte[] {'a', FF}));
        assertArrayEquals(new byte[] {'a', (byte) 0x80}, KeyRanges.prefixEnd(new byte[] {'a', 0x7f}),
            "0x7f must become 0x80, not wrap as a signed byte");
        assertArrayEquals(new byte[] {1, (byte) 0xff}, KeyRanges.prefixEnd(new byte[] {1, (byte) 0xfe, FF, FF}));
        assertArrayEquals(new byte[] {0}, KeyRanges.prefixEnd(new byte[] {FF, FF}), "all 0xff: to the end");
        assertArrayEquals(new byte[] {0}, KeyRanges.prefixEnd(new byte[0]), "empty prefix: to the end");
        assertThrows(IllegalArgumentException.class, () -> KeyRanges.prefixEnd(null));
    }

    @Test
    void prefixEndBoundsExactlyThePrefixedKeys() {
        final byte[] prefix = {'a', FF};
        final byte[] end = KeyRanges.prefixEnd(prefix);
        assertTrue(KeyRanges.contains(prefix, end, new byte[] {'a', FF}));
        assertTrue(KeyRanges.contains(prefix, end, new byte[] {'a', FF, FF, FF}));
        assertFalse(KeyRanges.contains(prefix, end, new byte[] {'b'}));
        assertFalse(KeyRanges.contains(prefix, end, new byte[] {'a', (byte) 0xfe, FF}));
    }

    @Test
    void containsFollowsTheThreeRangeForms() {
        assertTrue(KeyRanges.contains(b("k"), null, b("k")));
        assertFalse(KeyRanges.contains(b("k"), new byte[0], b("k1")));
        assertTrue(KeyRanges.contains(b("k"), KeyRanges.toEnd(), new byte[] {FF, FF}));
        assertFalse(KeyRanges.contains(b("k"), KeyRanges.toEnd(), b("j")));
        assertTrue(KeyRanges.contains(b("a"), b("c"), b("bzzz")));
        assertFalse(KeyRanges.contains(b("a"), b("c"), b("c")));
        assertFalse(KeyRanges.contains(b("c"), b("a"), b("b")), "inverted: empty");
    }

    @Test
    void toEndIsAFreshArrayEachTime() {
        final byte[] end = KeyRanges.toEnd();
        end[0] = 5;
        assertArrayEquals(new byte[] {0}, KeyRanges.toEnd());
    }
}

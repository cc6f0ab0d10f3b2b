package io.duetdb.storage.table;

import static io.duetdb.storage.table.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchCodecTest {

    /** A random batch; transactions nest up to {@code maxTxnDepth} deep. */
    static List<Op> randomBatch(final Random r, final int maxTxnDepth) {
        final List<Op> ops = new ArrayList<>();
        for (int i = 0, n = r.nextInt(5); i < n; i++) {
            ops.add(randomOp(r, maxTxnDepth));
        }
        return ops;
    }

    private static Op randomOp(final Random r, final int maxTxnDepth) {
        final byte[] key = randomBytes(r);
        switch (r.nextInt(maxTxnDepth > 0 ? 4 : 3)) {
            case 0:
                return new Op.Put(key, randomBytes(r), r.nextBoolean());
            case 1:
                return new Op.DeleteRange(key, randomEnd(r), r.nextBoolean());
            case 2:
                return new Op.Range(key, randomEnd(r), r.nextInt(3) == 0 ? Long.MAX_VALUE : r.nextInt(10),
                    r.nextBoolean(), r.nextBoolean());
            default:
                final List<Compare> compares = new ArrayList<>();
                for (int c = 0, n = r.nextInt(3); c < n; c++) {
                    compares.add(new Compare(randomBytes(r), Compare.Target.values()[r.nextInt(4)],
                        Compare.Result.values()[r.nextInt(4)], randomEnd(r), r.nextLong()));
                }
                return new Op.Txn(compares, randomBatch(r, maxTxnDepth - 1), randomBatch(r, maxTxnDepth - 1));
        }
    }

    private static byte[] randomEnd(final Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> null;
            case 1 -> new byte[0];
            case 2 -> new byte[] {0};
            default -> randomBytes(r);
        };
    }

    private static byte[] randomBytes(final Random r) {
        final byte[] bytes = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(40)];
        r.nextBytes(bytes);
        return bytes;
    }

    @Test
    void roundTripsRandomBatchesIncludingNestedTransactions() {
        final Random r = new Random(7);
        for (int i = 0; i < 3000; i++) {
            final List<Op> batch = randomBatch(r, 1 + i % BatchCodec.MAX_TXN_DEPTH);
            final byte[] encoded = BatchCodec.encode(batch);
            final List<Op> decoded = BatchCodec.decode(encoded);
            assertEquals(batch, decoded, "batch " + i);
            assertArrayEquals(encoded, BatchCodec.encode(decoded), "batch " + i);
        }
    }

    @Test
    void nullAndEmptyRangeEndsStayDistinct() {
        final List<Op> batch = List.of(new Op.DeleteRange(b("k"), null, false), new Op.DeleteRange(b("k"), new byte[0],
            false), new Op.Range(b("k"), null, 0, false, false), new Op.Range(b("k"), new byte[0], 0, false, false));
        final List<Op> decoded = BatchCodec.decode(BatchCodec.encode(batch));
        assertEquals(null, ((Op.DeleteRange) decoded.get(0)).rangeEnd());
        assertArrayEquals(new byte[0], ((Op.DeleteRange) decoded.get(1)).rangeEnd());
        assertEquals(batch, decoded);
    }

    @Test
    void theLayoutIsLittleEndianAsDocumented() {
        final byte[] expected = {
            1,                      // format version
            2, 0, 0, 0,             // op count
            1,                      // put
            1, 0, 0, 0, 'k',        // key
            2, 0, 0, 0, 'v', 'w',   // value
            1,                      // returnPrevious
            3,                      // range
            1, 0, 0, 0, 'a',        // key
            -1, -1, -1, -1,         // no range end
            (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, // limit 128
            0, 1,                   // keysOnly, countOnly
        };
        assertArrayEquals(expected, BatchCodec.encode(List.of(new Op.Put(b("k"), b("vw"), true),
            new Op.Range(b("a"), null, 128, false, true))));
    }

    @Test
    void tooDeepNestingIsRefusedOnBothSides() {
        Op op = new Op.Put(b("k"), b("v"), false);
        for (int depth = 1; depth <= BatchCodec.MAX_TXN_DEPTH; depth++) {
            op = new Op.Txn(List.of(), List.of(op), List.of());
        }
        final List<Op> deepest = List.of(op);
        assertEquals(deepest, BatchCodec.decode(BatchCodec.encode(deepest)));
        final List<Op> tooDeep = List.of(new Op.Txn(List.of(), List.of(op), List.of()));
        assertThrows(IllegalArgumentException.class, () -> BatchCodec.encode(tooDeep));

        // A hand-made nesting bomb: a million transactions inside each other, 9 bytes each.
        final ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(1);
        for (int i = 0; i < 1_000_000; i++) {
            bomb.writeBytes(new byte[] {1, 0, 0, 0, 4, 0, 0, 0, 0});
        }
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BatchCodec.decode(bomb.toByteArray()));
        assertTrue(e.getMessage().contains("MAX_TXN_DEPTH"), e.getMessage());
    }

    @Test
    void hostileCountsAndLengthsAreRefusedWithoutAllocating() {
        refused(new byte[] {}, "truncated");
        refused(new byte[] {9}, "format version 9");
        refused(new byte[] {1, -1, -1, -1, 0x7f}, "op count 2147483647");
        refused(new byte[] {1, 1, 0, 0, 0, 1, -1, -1, -1, 0x7f, 0, 0, 0, 0, 0}, "put key length 2147483647");
        refused(new byte[] {1, 1, 0, 0, 0, 1, -2, -1, -1, -1, 0, 0, 0, 0, 0}, "put key length 4294967294");
        refused(new byte[] {1, 1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "unknown op tag 9 at byte 5");
        refused(new byte[] {1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2}, "flag must be 0 or 1");
        refused(new byte[] {1, 0, 0, 0, 0, 0}, "1 unexpected bytes after the batch");
        final byte[] range = BatchCodec.encode(List.of(new Op.Range(b("a"), null, 1, false, false)));
        range[22] = (byte) 0x80; // the limit's top byte: a negative limit
        refused(range, "range limit");
        final byte[] compare = BatchCodec.encode(List.of(new Op.Txn(List.of(Compare.value(b("k"),
            Compare.Result.EQUAL, null)), List.of(), List.of())));
        compare[15] = 4; // the target code
        refused(compare, "unknown compare target 4");
    }

    private static void refused(final byte[] input, final String mention) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchCodec.decode(input));
        assertTrue(e.getMessage().contains(mention), "'" + e.getMessage() + "' should mention '" + mention + "'");
    }

    /**
     * Thousands of damaged encodings: each either decodes to a batch that re-encodes to exactly the
     * same bytes (the encoding is canonical) or is refused with an IllegalArgumentException. Any
     * other exception or error (an OutOfMemoryError, a StackOverflowError) fails by propagating.
     */
    @Test
    void damagedInputIsRefusedWithIllegalArgumentOnly() {
        final Random r = new Random(11);
        int refused = 0;
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            final byte[] original = BatchCodec.encode(randomBatch(r, 2));
            final byte[] input = mutate(r, original, i % 6);
            try {
                final List<Op> decoded = BatchCodec.decode(input);
                assertArrayEquals(input, BatchCodec.encode(decoded), "mutation " + i);
                accepted++;
            } catch (final IllegalArgumentException e) {
                refused++;
            }
        }
        assertTrue(refused > 5_000, "refused " + refused);
        assertTrue(accepted > 0, "some mutations (e.g. inside key bytes) still decode");
    }

    @Test
    void everyTruncationIsRefused() {
        final Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            final byte[] encoded = BatchCodec.encode(randomBatch(r, 2));
            for (int length = 0; length < encoded.length; length++) {
                final byte[] cut = Arrays.copyOf(encoded, length);
                assertThrows(IllegalArgumentException.class, () -> BatchCodec.decode(cut), "length " + length);
            }
        }
    }

    private static byte[] mutate(final Random r, final byte[] original, final int kind) {
        final byte[] b = original.clone();
        switch (kind) {
            case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            case 2 -> {
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 3 -> { // a length or count field overwritten with a large value
                final int at = r.nextInt(b.length);
                for (int j = at; j < Math.min(b.length, at + 4); j++) {
                    b[j] = (byte) (j == at + 3 ? 0x7f : 0xff);
                }
            }
            case 4 -> { // bytes inserted
                final byte[] extra = new byte[1 + r.nextInt(8)];
                r.nextBytes(extra);
                final int at = r.nextInt(b.length + 1);
                final byte[] out = new byte[b.length + extra.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(b, at, out, at + extra.length, b.length - at);
                return out;
            }
            default -> { // garbage after a valid version byte
                final byte[] garbage = new byte[r.nextInt(64)];
                r.nextBytes(garbage);
                final byte[] out = new byte[garbage.length + 1];
                out[0] = 1;
                System.arraycopy(garbage, 0, out, 1, garbage.length);
                return out;
            }
        }
        return b;
    }
}

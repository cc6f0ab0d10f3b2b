package io.duetdb.storage.table;

import static io.duetdb.storage.table.Bytes.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchCodecTest {

    static List<Op> randomBatch(final Random r, final int depth) {
        final List<Op> ops = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            final byte[] key = b("key" + r.nextInt(100));
            switch (r.nextInt(depth == 0 ? 4 : 3)) {
                case 0 -> ops.add(new Op.Put(key, randomBytes(r), r.nextBoolean()));
                case 1 -> ops.add(new Op.DeleteRange(key, r.nextBoolean() ? null : randomBytes(r), r.nextBoolean()));
                case 2 -> ops.add(new Op.Range(key, r.nextBoolean() ? null : KeyRanges.TO_END, r.nextInt(10),
                    r.nextBoolean(), r.nextBoolean()));
                default -> ops.add(new Op.Txn(List.of(
                    new Compare(key, Compare.Target.values()[r.nextInt(4)], Compare.Result.values()[r.nextInt(4)],
                        r.nextBoolean() ? null : randomBytes(r), r.nextLong())),
                    randomBatch(r, depth + 1), randomBatch(r, depth + 1)));
            }
        }
        return ops;
    }

    private static byte[] randomBytes(final Random r) {
        final byte[] bytes = new byte[r.nextInt(40)];
        r.nextBytes(bytes);
        return bytes;
    }

    @Test
    void roundTripsRandomBatches() {
        final Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            final List<Op> batch = randomBatch(r, 0);
            assertEquals(batch, BatchCodec.decode(BatchCodec.encode(batch)));
        }
    }

    @Test
    void damagedInputIsRefusedWithIllegalArgumentOnly() {
        final Random r = new Random(11);
        int refused = 0;
        for (int i = 0; i < 5000; i++) {
            final byte[] encoded = BatchCodec.encode(randomBatch(r, 0));
            switch (i % 3) {
                case 0 -> encoded[r.nextInt(encoded.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> encoded[r.nextInt(encoded.length)] = (byte) r.nextInt(256);
                default -> { }
            }
            final byte[] input = i % 3 == 2 ? java.util.Arrays.copyOf(encoded, r.nextInt(encoded.length)) : encoded;
            try {
                BatchCodec.decode(input);
            } catch (final IllegalArgumentException e) {
                refused++;
            }
            // Any other exception type (or an OutOfMemoryError) fails the test by propagating.
        }
        assertNotEquals(0, refused);
        assertThrows(IllegalArgumentException.class, () -> BatchCodec.decode(new byte[] {1, 0x7f, -1, -1, -1}));
        assertThrows(IllegalArgumentException.class, () -> BatchCodec.decode(new byte[] {9}));
    }

    @Test
    void resultChecksumSeesEveryDifference() {
        final KeyValue kv = new KeyValue(b("k"), b("v"), 1, 2, 3);
        final List<OpResult> base = List.of(new OpResult.PutResult(kv), new OpResult.DeleteResult(1, List.of()));
        assertEquals(ResultCodec.checksum(base), ResultCodec.checksum(List.of(new OpResult.PutResult(
            new KeyValue(b("k"), b("v"), 1, 2, 3)), new OpResult.DeleteResult(1, List.of()))));
        assertNotEquals(ResultCodec.checksum(base), ResultCodec.checksum(List.of(new OpResult.PutResult(
            new KeyValue(b("k"), b("v"), 1, 2, 4)), new OpResult.DeleteResult(1, List.of()))));
        assertNotEquals(ResultCodec.checksum(base), ResultCodec.checksum(List.of(new OpResult.PutResult(kv),
            new OpResult.DeleteResult(0, List.of()))));
        assertNotEquals(ResultCodec.checksum(List.of(new OpResult.TxnResult(true, List.of()))),
            ResultCodec.checksum(List.of(new OpResult.TxnResult(false, List.of()))));
    }
}

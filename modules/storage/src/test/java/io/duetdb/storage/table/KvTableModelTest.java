package io.duetdb.storage.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random batches applied to the table and to a deliberately simple TreeMap model
 * written from the etcd rules; every result, and periodically the whole content, must agree.
 */
class KvTableModelTest {
    private static final byte[] ALPHABET = {0x00, 0x01, 'a', 'b', 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};

    /** The model's entry; the key is the map key. */
    private record Entry(byte[] value, long create, long mod, long version) {
    }

    private final TreeMap<byte[], Entry> model = new TreeMap<>(Arrays::compareUnsigned);
    private Random random;
    private List<byte[]> keys;

    @Test
    void tableMatchesTheModel() {
        for (final long seed : new long[] {1, 2, 3, 42, 1234}) {
            random = new Random(seed);
            model.clear();
            keys = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                final byte[] k = new byte[1 + random.nextInt(3)];
                for (int j = 0; j < k.length; j++) {
                    k[j] = ALPHABET[random.nextInt(ALPHABET.length)];
                }
                keys.add(k);
            }
            final KvTable table = new KvTable();
            for (long rev = 1; rev <= 2500; rev++) {
                final List<Op> batch = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    batch.add(random.nextInt(6) == 0 ? randomTxn(rev) : randomSimpleOp());
                }
                final List<OpResult> expected = new ArrayList<>();
                for (final Op op : batch) {
                    expected.add(modelApply(rev, op));
                }
                assertEquals(expected, table.apply(rev, batch), "seed " + seed + " revision " + rev + " " + batch);
                if (rev % 250 == 0) {
                    assertSameContent(table, rev, "seed " + seed + " revision " + rev);
                }
            }
        }
    }

    private void assertSameContent(final KvTable table, final long rev, final String where) {
        final List<KeyValue> expected = new ArrayList<>();
        long bytes = 0;
        for (final Map.Entry<byte[], Entry> e : model.entrySet()) {
            expected.add(toKv(e.getKey(), e.getValue()));
            bytes += e.getKey().length + e.getValue().value().length;
        }
        final List<KeyValue> actual = new ArrayList<>();
        table.forEach(actual::add);
        assertEquals(expected, actual, where);
        assertEquals(expected.size(), table.size(), where);
        assertEquals(bytes, table.approximateSizeBytes(), where);
        assertEquals(KvTable.restore(rev, expected).digest(), table.digest(), where);
    }

    private byte[] randomKey() {
        return keys.get(random.nextInt(keys.size())).clone();
    }

    private byte[] randomEnd(final byte[] key) {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> new byte[] {0};
            case 2 -> KeyRanges.prefixEnd(key);
            default -> randomKey(); // sometimes inverted: an empty range
        };
    }

    private byte[] randomValue() {
        final byte[] v = new byte[random.nextInt(4)];
        for (int i = 0; i < v.length; i++) {
            v[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return v;
    }

    private Op randomSimpleOp() {
        final byte[] key = randomKey();
        return switch (random.nextInt(5)) {
            case 0, 1 -> new Op.Put(key, randomValue(), random.nextBoolean());
            case 2 -> new Op.DeleteRange(key, randomEnd(key), random.nextBoolean());
            default -> new Op.Range(key, randomEnd(key), random.nextInt(4), random.nextBoolean(), random.nextInt(4) == 0);
        };
    }

    private Op randomTxn(final long rev) {
        final List<Compare> compares = new ArrayList<>();
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            final Compare.Target target = Compare.Target.values()[random.nextInt(4)];
            final Compare.Result result = Compare.Result.values()[random.nextInt(4)];
            compares.add(target == Compare.Target.VALUE
                ? new Compare(randomKey(), target, result, random.nextInt(5) == 0 ? null : randomValue(), 0)
                : new Compare(randomKey(), target, result, null, random.nextInt((int) Math.min(rev + 2, 50))));
        }
        final List<Op> success = new ArrayList<>();
        final List<Op> failure = new ArrayList<>();
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
            (random.nextBoolean() ? success : failure).add(randomSimpleOp());
        }
        return new Op.Txn(compares, success, failure);
    }

    // ---- the model ----

    private static KeyValue toKv(final byte[] key, final Entry e) {
        return new KeyValue(key, e.value(), e.create(), e.mod(), e.version());
    }

    private static boolean inRange(final byte[] key, final byte[] end, final byte[] k) {
        if (end == null || end.length == 0) {
            return Arrays.equals(k, key);
        }
        final boolean fromKey = Arrays.compareUnsigned(k, key) >= 0;
        return end.length == 1 && end[0] == 0 ? fromKey : fromKey && Arrays.compareUnsigned(k, end) < 0;
    }

    private OpResult modelApply(final long rev, final Op op) {
        if (op instanceof Op.Put p) {
            final Entry old = model.get(p.key());
            model.put(p.key().clone(), old == null ? new Entry(p.value().clone(), rev, rev, 1)
                : new Entry(p.value().clone(), old.create(), rev, old.version() + 1));
            return new OpResult.PutResult(p.returnPrevious() && old != null ? toKv(p.key(), old) : null);
        }
        if (op instanceof Op.DeleteRange d) {
            final List<KeyValue> removed = new ArrayList<>();
            long count = 0;
            for (final Iterator<Map.Entry<byte[], Entry>> it = model.entrySet().iterator(); it.hasNext(); ) {
                final Map.Entry<byte[], Entry> e = it.next();
                if (inRange(d.key(), d.rangeEnd(), e.getKey())) {
                    count++;
                    if (d.returnPrevious()) {
                        removed.add(toKv(e.getKey(), e.getValue()));
                    }
                    it.remove();
                }
            }
            return new OpResult.DeleteResult(count, removed);
        }
        if (op instanceof Op.Range r) {
            final List<KeyValue> found = new ArrayList<>();
            for (final Map.Entry<byte[], Entry> e : model.entrySet()) {
                if (inRange(r.key(), r.rangeEnd(), e.getKey())) {
                    final Entry v = e.getValue();
                    found.add(r.keysOnly() ? new KeyValue(e.getKey(), new byte[0], v.create(), v.mod(), v.version())
                        : toKv(e.getKey(), v));
                }
            }
            if (r.countOnly()) {
                return new OpResult.RangeResult(List.of(), found.size(), false);
            }
            final boolean cut = r.limit() > 0 && found.size() > r.limit();
            return new OpResult.RangeResult(cut ? found.subList(0, (int) r.limit()) : found, found.size(), cut);
        }
        final Op.Txn txn = (Op.Txn) op;
        boolean ok = true;
        for (final Compare c : txn.compares()) {
            ok &= modelCompare(c);
        }
        final List<OpResult> results = new ArrayList<>();
        for (final Op branchOp : ok ? txn.success() : txn.failure()) {
            results.add(modelApply(rev, branchOp));
        }
        return new OpResult.TxnResult(ok, results);
    }

    private boolean modelCompare(final Compare c) {
        final Entry e = model.get(c.key());
        final int cmp;
        if (c.target() == Compare.Target.VALUE) {
            if (e == null) {
                return false; // etcd: a VALUE compare on a missing key never holds
            }
            cmp = Arrays.compareUnsigned(e.value(), c.valueOperand() == null ? new byte[0] : c.valueOperand());
        } else {
            final long actual = e == null ? 0 : switch (c.target()) {
                case VERSION -> e.version();
                case CREATE_REVISION -> e.create();
                default -> e.mod();
            };
            cmp = Long.compare(actual, c.numberOperand());
        }
        return switch (c.result()) {
            case EQUAL -> cmp == 0;
            case NOT_EQUAL -> cmp != 0;
            case GREATER -> cmp > 0;
            case LESS -> cmp < 0;
        };
    }
}

package io.duetdb.bench;

import io.duetdb.storage.table.KvTable;
import io.duetdb.storage.table.Op;
import io.duetdb.storage.table.SpaceCost;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one stored key costs on the heap, to check {@link SpaceCost#PER_KEY_OVERHEAD_BYTES}: fills a
 * {@link KvTable} the way the applier does (batches of puts at increasing revisions) and compares
 * the heap in use after full collections, before and after. Run it alone, with a fixed heap:
 *
 * <pre>
 *   java -Xms2g -Xmx2g -XX:+UseSerialGC -cp 'modules/bench/target/*:modules/bench/target/lib/*' \
 *       io.duetdb.bench.HeapCostBenchmark [KEYS]
 * </pre>
 *
 * Prints one line per shape (8-byte keys with 256-byte values; 100-byte keys with 4 KiB values):
 * bytes per key measured, the key and value bytes, the overhead beyond them, and what the quota
 * counts.
 */
public final class HeapCostBenchmark {
    private static final int BATCH = 1_000;
    private static final int SETTLE_GCS = 5;

    private HeapCostBenchmark() {
    }

    public static void main(final String[] args) {
        final int keys = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        System.out.printf(Locale.ROOT, "java %s, max heap %d MiB, %d keys per shape%n",
            System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, keys);
        for (final int[] shape : new int[][] {{8, 256}, {100, 4096}}) {
            measure(keys, shape[0], shape[1]);
        }
    }

    private static void measure(final int keys, final int keyBytes, final int valueBytes) {
        final long before = settledHeapBytes();
        final KvTable table = new KvTable();
        long revision = 0;
        for (int start = 0; start < keys; start += BATCH) {
            final List<Op> batch = new ArrayList<>(BATCH);
            for (int i = start; i < Math.min(keys, start + BATCH); i++) {
                final byte[] key = new byte[keyBytes];
                ByteBuffer.wrap(key).putLong(keyBytes - Long.BYTES, i); // distinct, in order
                batch.add(new Op.Put(key, new byte[valueBytes], false));
            }
            table.apply(++revision, batch);
        }
        final long after = settledHeapBytes();
        final double perKey = (after - before) / (double) keys;
        System.out.printf(Locale.ROOT, "%3d-byte keys, %4d-byte values: %.0f heap bytes per key = %d key+value + "
                + "%.0f overhead; the quota counts %d (overhead %d)%n", keyBytes, valueBytes, perKey,
            keyBytes + valueBytes, perKey - keyBytes - valueBytes, SpaceCost.ofEntry(keyBytes, valueBytes),
            SpaceCost.PER_KEY_OVERHEAD_BYTES);
        if (table.size() != keys) {
            throw new IllegalStateException("the table holds " + table.size() + " keys, not " + keys);
        }
    }

    /** Heap in use after several full collections (the table must be reachable while this runs). */
    private static long settledHeapBytes() {
        for (int i = 0; i < SETTLE_GCS; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

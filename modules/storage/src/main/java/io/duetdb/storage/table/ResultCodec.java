package io.duetdb.storage.table;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * A CRC32C over a canonical encoding of a batch's results. The completion log records it, and
 * recovery compares it with the result of re-applying the batch.
 */
public final class ResultCodec {
    private ResultCodec() {
    }

    public static int checksum(final List<OpResult> results) {
        final CRC32C crc = new CRC32C();
        update(crc, results);
        return (int) crc.getValue();
    }

    private static void update(final CRC32C crc, final List<OpResult> results) {
        longValue(crc, results.size());
        for (final OpResult r : results) {
            if (r instanceof OpResult.PutResult p) {
                crc.update(1);
                keyValue(crc, p.previous());
            } else if (r instanceof OpResult.DeleteResult d) {
                crc.update(2);
                longValue(crc, d.deletedCount());
                keyValues(crc, d.previous());
            } else if (r instanceof OpResult.RangeResult g) {
                crc.update(3);
                longValue(crc, g.count());
                crc.update(g.more() ? 1 : 0);
                keyValues(crc, g.kvs());
            } else {
                final OpResult.TxnResult t = (OpResult.TxnResult) r;
                crc.update(4);
                crc.update(t.succeeded() ? 1 : 0);
                update(crc, t.results());
            }
        }
    }

    private static void keyValues(final CRC32C crc, final List<KeyValue> kvs) {
        longValue(crc, kvs.size());
        for (final KeyValue kv : kvs) {
            keyValue(crc, kv);
        }
    }

    private static void keyValue(final CRC32C crc, final KeyValue kv) {
        if (kv == null) {
            crc.update(0);
            return;
        }
        crc.update(1);
        longValue(crc, kv.key().length);
        crc.update(kv.key());
        longValue(crc, kv.value().length);
        crc.update(kv.value());
        longValue(crc, kv.createRevision());
        longValue(crc, kv.modRevision());
        longValue(crc, kv.version());
    }

    private static void longValue(final CRC32C crc, final long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (v >>> shift) & 0xFF);
        }
    }
}

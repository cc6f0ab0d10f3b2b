package io.duetdb.storage.table;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * A CRC32C over a canonical encoding of a batch's results. The completion log records it, and
 * recovery compares it with the checksum of re-applying the batch: equal results give equal
 * checksums on every node and every run.
 *
 * <p>Canonical encoding (integers little-endian):
 * <pre>
 *   results  := u32 count, result*
 *   result   := u8 tag, then by tag:
 *     1 PutResult     optKv previous
 *     2 DeleteResult  i64 deletedCount, kvs previous
 *     3 RangeResult   i64 count, u8 more, kvs kvs
 *     4 TxnResult     u8 succeeded, results
 *   kvs      := u32 n, kv*
 *   optKv    := u8 0 (null) | u8 1, kv
 *   kv       := u32 key length, key, u32 value length, value, i64 createRevision, i64 modRevision, i64 version
 * </pre>
 */
public final class ResultCodec {
    private static final int TAG_PUT = 1;
    private static final int TAG_DELETE = 2;
    private static final int TAG_RANGE = 3;
    private static final int TAG_TXN = 4;

    private ResultCodec() {
    }

    /** The CRC32C of the canonical encoding of {@code results}, as a 32-bit int. */
    public static int checksum(final List<OpResult> results) {
        if (results == null) {
            throw new IllegalArgumentException("results=null");
        }
        final Feed feed = new Feed();
        feed.results(results);
        return (int) feed.crc.getValue();
    }

    /** Feeds the encoding straight into the CRC, without building it. */
    private static final class Feed {
        final CRC32C crc = new CRC32C();
        private final byte[] scratch = new byte[8];

        void results(final List<OpResult> results) {
            u32(results.size());
            for (final OpResult r : results) {
                if (r instanceof OpResult.PutResult p) {
                    crc.update(TAG_PUT);
                    if (p.previous() == null) {
                        crc.update(0);
                    } else {
                        crc.update(1);
                        keyValue(p.previous());
                    }
                } else if (r instanceof OpResult.DeleteResult d) {
                    crc.update(TAG_DELETE);
                    i64(d.deletedCount());
                    keyValues(d.previous());
                } else if (r instanceof OpResult.RangeResult g) {
                    crc.update(TAG_RANGE);
                    i64(g.count());
                    crc.update(g.more() ? 1 : 0);
                    keyValues(g.kvs());
                } else {
                    final OpResult.TxnResult t = (OpResult.TxnResult) r;
                    crc.update(TAG_TXN);
                    crc.update(t.succeeded() ? 1 : 0);
                    results(t.results());
                }
            }
        }

        private void keyValues(final List<KeyValue> kvs) {
            u32(kvs.size());
            for (final KeyValue kv : kvs) {
                keyValue(kv);
            }
        }

        private void keyValue(final KeyValue kv) {
            u32(kv.key().length);
            crc.update(kv.key());
            u32(kv.value().length);
            crc.update(kv.value());
            i64(kv.createRevision());
            i64(kv.modRevision());
            i64(kv.version());
        }

        private void u32(final int v) {
            for (int i = 0; i < 4; i++) {
                scratch[i] = (byte) (v >>> (8 * i));
            }
            crc.update(scratch, 0, 4);
        }

        private void i64(final long v) {
            for (int i = 0; i < 8; i++) {
                scratch[i] = (byte) (v >>> (8 * i));
            }
            crc.update(scratch, 0, 8);
        }
    }
}

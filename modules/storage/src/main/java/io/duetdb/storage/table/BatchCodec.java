package io.duetdb.storage.table;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary encoding of a batch ({@code List<Op>}), as carried in an intent record's payload.
 * Format version 1; every integer is <b>little-endian</b>, like the rest of Duet's storage format.
 *
 * <pre>
 *  batch:   +---------+-------------+-------+-------+-----+
 *           | version | op count    | op 0  | op 1  | ... |
 *           | u8 = 1  | u32         |       |       |     |
 *           +---------+-------------+-------+-------+-----+
 *
 *  op:      +-----+------------------------------------------------------------------+
 *           | tag | fields, by tag:                                                  |
 *           | u8  |  1 Put          bytes key, bytes value, bool returnPrevious      |
 *           |     |  2 DeleteRange  bytes key, opt rangeEnd, bool returnPrevious     |
 *           |     |  3 Range        bytes key, opt rangeEnd, i64 limit,              |
 *           |     |                 bool keysOnly, bool countOnly                    |
 *           |     |  4 Txn          u32 compare count, compare*, u32 n, op* (success)|
 *           |     |                 u32 n, op* (failure)                             |
 *           +-----+------------------------------------------------------------------+
 *
 *  compare: bytes key, u8 target (0 VALUE, 1 VERSION, 2 CREATE_REVISION, 3 MOD_REVISION),
 *           u8 result (0 EQUAL, 1 NOT_EQUAL, 2 GREATER, 3 LESS), opt valueOperand, i64 numberOperand
 *
 *  bytes:   +------------+----------------+      opt: +------------+----------------+
 *           | u32 length | length bytes   |           | i32 length | length bytes   |  length -1 = null
 *           +------------+----------------+           +------------+----------------+
 *  bool:    u8, exactly 0 or 1
 * </pre>
 *
 * Decoding checks every length and count against the bytes that remain before allocating, so
 * corrupt or hostile input gives an {@link IllegalArgumentException} naming the field and byte
 * offset, never an out-of-memory error. Transactions may nest at most {@value #MAX_TXN_DEPTH}
 * deep here (the codec transports what {@link OpValidator} then refuses with a clear message);
 * the limit bounds decoder recursion. {@code decode(encode(ops))} equals {@code ops}.
 */
public final class BatchCodec {
    /** The format version byte this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Deepest transaction nesting the codec accepts (1 = transactions without nested ones). */
    public static final int MAX_TXN_DEPTH = 4;

    private static final int TAG_PUT = 1;
    private static final int TAG_DELETE_RANGE = 2;
    private static final int TAG_RANGE = 3;
    private static final int TAG_TXN = 4;
    /** Smallest encodings, used to bound counts: a put or delete range is at least 10 bytes. */
    private static final int MIN_OP_BYTES = 10;
    private static final int MIN_COMPARE_BYTES = 18;
    private static final Compare.Target[] TARGETS = Compare.Target.values();
    private static final Compare.Result[] RESULTS = Compare.Result.values();

    private BatchCodec() {
    }

    /**
     * Encodes a batch.
     *
     * @throws IllegalArgumentException when transactions nest deeper than {@value #MAX_TXN_DEPTH}
     *     or the encoding would exceed 2 GiB (neither could be decoded)
     */
    public static byte[] encode(final List<Op> ops) {
        if (ops == null) {
            throw new IllegalArgumentException("ops=null");
        }
        final long size = 1 + opsSize(ops, 0);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the encoded batch would be " + size + " bytes; the limit is 2 GiB");
        }
        final ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) FORMAT_VERSION);
        writeOps(out, ops);
        if (out.hasRemaining()) {
            throw new IllegalStateException("encoded " + out.position() + " bytes, sized " + size);
        }
        return out.array();
    }

    private static long opsSize(final List<Op> ops, final int txnDepth) {
        long size = 4;
        for (final Op op : ops) {
            size += 1;
            if (op instanceof Op.Put p) {
                size += 4 + p.key().length + 4 + p.value().length + 1;
            } else if (op instanceof Op.DeleteRange d) {
                size += 4 + d.key().length + 4 + lengthOf(d.rangeEnd()) + 1;
            } else if (op instanceof Op.Range r) {
                size += 4 + r.key().length + 4 + lengthOf(r.rangeEnd()) + 8 + 2;
            } else {
                final Op.Txn t = (Op.Txn) op;
                if (txnDepth + 1 > MAX_TXN_DEPTH) {
                    throw new IllegalArgumentException("transactions nest deeper than " + MAX_TXN_DEPTH
                        + " (MAX_TXN_DEPTH)");
                }
                size += 4;
                for (final Compare c : t.compares()) {
                    size += 4 + c.key().length + 2 + 4 + lengthOf(c.valueOperand()) + 8;
                }
                size += opsSize(t.success(), txnDepth + 1) + opsSize(t.failure(), txnDepth + 1);
            }
        }
        return size;
    }

    private static long lengthOf(final byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static void writeOps(final ByteBuffer out, final List<Op> ops) {
        out.putInt(ops.size());
        for (final Op op : ops) {
            if (op instanceof Op.Put p) {
                out.put((byte) TAG_PUT);
                writeBytes(out, p.key());
                writeBytes(out, p.value());
                writeBool(out, p.returnPrevious());
            } else if (op instanceof Op.DeleteRange d) {
                out.put((byte) TAG_DELETE_RANGE);
                writeBytes(out, d.key());
                writeOptional(out, d.rangeEnd());
                writeBool(out, d.returnPrevious());
            } else if (op instanceof Op.Range r) {
                out.put((byte) TAG_RANGE);
                writeBytes(out, r.key());
                writeOptional(out, r.rangeEnd());
                out.putLong(r.limit());
                writeBool(out, r.keysOnly());
                writeBool(out, r.countOnly());
            } else {
                final Op.Txn t = (Op.Txn) op;
                out.put((byte) TAG_TXN);
                out.putInt(t.compares().size());
                for (final Compare c : t.compares()) {
                    writeBytes(out, c.key());
                    out.put((byte) c.target().ordinal()); // the enums' order is the persisted code; see class doc
                    out.put((byte) c.result().ordinal());
                    writeOptional(out, c.valueOperand());
                    out.putLong(c.numberOperand());
                }
                writeOps(out, t.success());
                writeOps(out, t.failure());
            }
        }
    }

    private static void writeBytes(final ByteBuffer out, final byte[] b) {
        out.putInt(b.length).put(b);
    }

    private static void writeOptional(final ByteBuffer out, final byte[] b) {
        if (b == null) {
            out.putInt(-1);
        } else {
            writeBytes(out, b);
        }
    }

    private static void writeBool(final ByteBuffer out, final boolean b) {
        out.put((byte) (b ? 1 : 0));
    }

    /**
     * Decodes a batch.
     *
     * @throws IllegalArgumentException for anything that is not exactly one well-formed batch,
     *     naming the field and its byte offset
     */
    public static List<Op> decode(final byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("payload=null");
        }
        final Reader in = new Reader(payload);
        final int version = in.u8("format version");
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("batch format version " + version + " at byte 0 is not supported "
                + "(this build reads version " + FORMAT_VERSION + ")");
        }
        final List<Op> ops = readOps(in, 0);
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(in.remaining() + " unexpected bytes after the batch, from byte "
                + in.position() + " of " + payload.length);
        }
        return ops;
    }

    private static List<Op> readOps(final Reader in, final int txnDepth) {
        final int count = in.count("op count", MIN_OP_BYTES);
        final List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final int at = in.position();
            final int tag = in.u8("op tag");
            switch (tag) {
                case TAG_PUT -> ops.add(new Op.Put(in.bytes("put key"), in.bytes("put value"),
                    in.bool("put returnPrevious")));
                case TAG_DELETE_RANGE -> ops.add(new Op.DeleteRange(in.bytes("delete key"),
                    in.optionalBytes("delete rangeEnd"), in.bool("delete returnPrevious")));
                case TAG_RANGE -> ops.add(readRange(in));
                case TAG_TXN -> {
                    if (txnDepth + 1 > MAX_TXN_DEPTH) {
                        throw new IllegalArgumentException("transaction at byte " + at + " nests deeper than "
                            + MAX_TXN_DEPTH + " (MAX_TXN_DEPTH)");
                    }
                    final int compareCount = in.count("compare count", MIN_COMPARE_BYTES);
                    final List<Compare> compares = new ArrayList<>(compareCount);
                    for (int c = 0; c < compareCount; c++) {
                        compares.add(readCompare(in));
                    }
                    final List<Op> success = readOps(in, txnDepth + 1);
                    final List<Op> failure = readOps(in, txnDepth + 1);
                    ops.add(new Op.Txn(compares, success, failure));
                }
                default -> throw new IllegalArgumentException("unknown op tag " + tag + " at byte " + at
                    + " (known: 1 put, 2 delete range, 3 range, 4 txn)");
            }
        }
        return ops;
    }

    private static Op.Range readRange(final Reader in) {
        final byte[] key = in.bytes("range key");
        final byte[] rangeEnd = in.optionalBytes("range rangeEnd");
        final int at = in.position();
        final long limit = in.i64("range limit");
        if (limit < 0) {
            throw new IllegalArgumentException("range limit " + limit + " at byte " + at + " is negative");
        }
        return new Op.Range(key, rangeEnd, limit, in.bool("range keysOnly"), in.bool("range countOnly"));
    }

    private static Compare readCompare(final Reader in) {
        final byte[] key = in.bytes("compare key");
        final int targetAt = in.position();
        final int target = in.u8("compare target");
        if (target >= TARGETS.length) {
            throw new IllegalArgumentException("unknown compare target " + target + " at byte " + targetAt);
        }
        final int result = in.u8("compare result");
        if (result >= RESULTS.length) {
            throw new IllegalArgumentException("unknown compare result " + result + " at byte " + (targetAt + 1));
        }
        return new Compare(key, TARGETS[target], RESULTS[result], in.optionalBytes("compare valueOperand"),
            in.i64("compare numberOperand"));
    }

    /** Bounds-checked little-endian reads; every failure names the field and its offset. */
    private static final class Reader {
        private final ByteBuffer buf;

        Reader(final byte[] payload) {
            this.buf = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        }

        int position() {
            return buf.position();
        }

        int remaining() {
            return buf.remaining();
        }

        private void need(final int bytes, final String field) {
            if (buf.remaining() < bytes) {
                throw new IllegalArgumentException("batch truncated: " + field + " at byte " + buf.position()
                    + " needs " + bytes + " bytes but only " + buf.remaining() + " remain (of " + buf.limit() + ")");
            }
        }

        int u8(final String field) {
            need(1, field);
            return buf.get() & 0xFF;
        }

        boolean bool(final String field) {
            final int b = u8(field);
            if (b > 1) {
                throw new IllegalArgumentException(field + " at byte " + (buf.position() - 1) + " is " + b
                    + "; a flag must be 0 or 1");
            }
            return b == 1;
        }

        long i64(final String field) {
            need(8, field);
            return buf.getLong();
        }

        /** A count of items that each take at least {@code minBytesEach}, so it cannot outgrow the input. */
        int count(final String field, final int minBytesEach) {
            need(4, field);
            final int at = buf.position();
            final int n = buf.getInt();
            if (n < 0 || (long) n * minBytesEach > buf.remaining()) {
                throw new IllegalArgumentException(field + " " + Integer.toUnsignedString(n) + " at byte " + at
                    + " is impossible: the remaining " + buf.remaining() + " bytes hold at most "
                    + buf.remaining() / minBytesEach);
            }
            return n;
        }

        byte[] bytes(final String field) {
            need(4, field + " length");
            final int at = buf.position();
            return body(buf.getInt(), at, field);
        }

        byte[] optionalBytes(final String field) {
            need(4, field + " length");
            final int at = buf.position();
            final int length = buf.getInt();
            return length == -1 ? null : body(length, at, field);
        }

        private byte[] body(final int length, final int at, final String field) {
            if (length < 0 || length > buf.remaining()) {
                throw new IllegalArgumentException(field + " length " + Integer.toUnsignedString(length) + " at byte "
                    + at + " exceeds the remaining " + buf.remaining() + " bytes");
            }
            final byte[] b = new byte[length];
            buf.get(b);
            return b;
        }
    }
}

package io.duetdb.storage.table;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload encoding of a batch (format version 1, big-endian). It is what an intent carries,
 * so it is versioned and every length is checked on decode: corrupt or hostile input gives an
 * {@link IllegalArgumentException}, never an out-of-memory error.
 *
 * <pre>
 *   batch   := u8 version(1), u32 opCount, op*
 *   op      := u8 tag, body
 *     1 put          bytes key, bytes value, u8 returnPrevious
 *     2 deleteRange  bytes key, nbytes rangeEnd, u8 returnPrevious
 *     3 range        bytes key, nbytes rangeEnd, i64 limit, u8 keysOnly, u8 countOnly
 *     4 txn          u32 n, compare*n, u32 n, op*n (success), u32 n, op*n (failure)
 *   compare := bytes key, u8 target, u8 result, nbytes valueOperand, i64 numberOperand
 *   bytes   := u32 length, data          nbytes := i32 length (-1 = null), data
 * </pre>
 */
public final class BatchCodec {
    public static final int FORMAT_VERSION = 1;
    private static final int TAG_PUT = 1;
    private static final int TAG_DELETE_RANGE = 2;
    private static final int TAG_RANGE = 3;
    private static final int TAG_TXN = 4;
    private static final int MAX_DEPTH = 2;

    private BatchCodec() {
    }

    public static byte[] encode(final List<Op> ops) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            writeOps(out, ops);
        } catch (final IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void writeOps(final DataOutputStream out, final List<Op> ops) throws IOException {
        out.writeInt(ops.size());
        for (final Op op : ops) {
            if (op instanceof Op.Put p) {
                out.writeByte(TAG_PUT);
                writeBytes(out, p.key());
                writeBytes(out, p.value());
                out.writeBoolean(p.returnPrevious());
            } else if (op instanceof Op.DeleteRange d) {
                out.writeByte(TAG_DELETE_RANGE);
                writeBytes(out, d.key());
                writeNullable(out, d.rangeEnd());
                out.writeBoolean(d.returnPrevious());
            } else if (op instanceof Op.Range r) {
                out.writeByte(TAG_RANGE);
                writeBytes(out, r.key());
                writeNullable(out, r.rangeEnd());
                out.writeLong(r.limit());
                out.writeBoolean(r.keysOnly());
                out.writeBoolean(r.countOnly());
            } else {
                final Op.Txn t = (Op.Txn) op;
                out.writeByte(TAG_TXN);
                out.writeInt(t.compares().size());
                for (final Compare c : t.compares()) {
                    writeBytes(out, c.key());
                    out.writeByte(c.target().ordinal());
                    out.writeByte(c.result().ordinal());
                    writeNullable(out, c.valueOperand());
                    out.writeLong(c.numberOperand());
                }
                writeOps(out, t.success());
                writeOps(out, t.failure());
            }
        }
    }

    private static void writeBytes(final DataOutputStream out, final byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static void writeNullable(final DataOutputStream out, final byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            writeBytes(out, b);
        }
    }

    /** @throws IllegalArgumentException for anything that is not a well-formed batch */
    public static List<Op> decode(final byte[] payload) {
        final ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            final int version = in.get() & 0xFF;
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported batch format version " + version);
            }
            final List<Op> ops = readOps(in, 0);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after the batch");
            }
            return ops;
        } catch (final BufferUnderflowException e) {
            throw new IllegalArgumentException("batch truncated at byte " + in.position() + " of " + payload.length);
        }
    }

    private static List<Op> readOps(final ByteBuffer in, final int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("batch nested deeper than " + MAX_DEPTH);
        }
        final int count = count(in, 2);
        final List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final int tag = in.get() & 0xFF;
            switch (tag) {
                case TAG_PUT -> ops.add(new Op.Put(readBytes(in), readBytes(in), readBoolean(in)));
                case TAG_DELETE_RANGE -> ops.add(new Op.DeleteRange(readBytes(in), readNullable(in), readBoolean(in)));
                case TAG_RANGE -> ops.add(new Op.Range(readBytes(in), readNullable(in), in.getLong(), readBoolean(in),
                    readBoolean(in)));
                case TAG_TXN -> {
                    final int compareCount = count(in, 14);
                    final List<Compare> compares = new ArrayList<>(compareCount);
                    for (int c = 0; c < compareCount; c++) {
                        final byte[] key = readBytes(in);
                        final Compare.Target target = enumValue(Compare.Target.values(), in.get(), "compare target");
                        final Compare.Result result = enumValue(Compare.Result.values(), in.get(), "compare result");
                        compares.add(new Compare(key, target, result, readNullable(in), in.getLong()));
                    }
                    final List<Op> success = readOps(in, depth + 1);
                    ops.add(new Op.Txn(compares, success, readOps(in, depth + 1)));
                }
                default -> throw new IllegalArgumentException("unknown op tag " + tag + " at byte " + (in.position() - 1));
            }
        }
        return ops;
    }

    /** A count, checked against what the remaining bytes could possibly hold. */
    private static int count(final ByteBuffer in, final int minBytesEach) {
        final int n = in.getInt();
        if (n < 0 || (long) n * minBytesEach > in.remaining()) {
            throw new IllegalArgumentException("count " + n + " at byte " + (in.position() - 4)
                + " exceeds what the remaining " + in.remaining() + " bytes can hold");
        }
        return n;
    }

    private static byte[] readBytes(final ByteBuffer in) {
        final int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length + " at byte " + (in.position() - 4)
                + " exceeds the remaining " + in.remaining() + " bytes");
        }
        final byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    private static byte[] readNullable(final ByteBuffer in) {
        final int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length + " at byte " + (in.position() - 4)
                + " exceeds the remaining " + in.remaining() + " bytes");
        }
        final byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    private static boolean readBoolean(final ByteBuffer in) {
        final int b = in.get();
        if (b != 0 && b != 1) {
            throw new IllegalArgumentException("flag byte " + b + " at byte " + (in.position() - 1) + " is not 0 or 1");
        }
        return b == 1;
    }

    private static <E> E enumValue(final E[] values, final byte code, final String what) {
        if (code < 0 || code >= values.length) {
            throw new IllegalArgumentException("unknown " + what + " " + code);
        }
        return values[code];
    }
}

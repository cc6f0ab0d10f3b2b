package io.duetdb.server.replication;

import io.duetdb.storage.table.Fnv64;
import io.duetdb.storage.table.Op;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The small part of a Raft entry that goes into the Raft log ({@code logData}); the payload (the
 * encoded ops) goes into {@code stateMachineData} and the intent WAL. The header is what repair
 * checks a replica's copy of the payload against.
 *
 * <p>Layout (format 2, little-endian):
 * <pre>
 *   u8  format (2), u8 zero, u16 zero
 *   u32 write count (0..MAX_WRITES; 0 is an empty entry that only advances the revision)
 *   u32 payload length in bytes
 *   u32 CRC32C of the payload
 *   i64 space quota in bytes that applying this entry enforces (0: none), the proposer's setting
 *   per write, 40 bytes:
 *     i64 client id high, i64 client id low, i64 sequence (0 = no write id)
 *     u32 payload bytes of this write
 *     u8  op kind (1 put, 2 delete range, 3 txn), u8[3] zero
 *     i64 FNV-1a 64 of the op's key (a txn: of its first compare's key, else 0)
 * </pre>
 * Keys are carried as hashes so a 10,000-write entry's header stays about 400 KB at most, whatever
 * the key sizes; the payload holds the keys themselves. The quota travels with the entry so that
 * every replica applies it alike, whatever its own setting ({@link SpaceQuota}). Format 1 (before
 * the quota) lacks that field and still decodes, with no quota: logs written before stay readable.
 */
public record IntentHeader(int payloadLength, int payloadCrc32c, long spaceQuotaBytes, List<WriteInfo> writes) {
    public static final int FORMAT = 2;
    /** Format 1: no quota field. */
    static final int FORMAT_WITHOUT_QUOTA = 1;
    /** The fixed part of format 1, the smallest header there is. */
    public static final int MIN_FIXED_BYTES = 16;
    public static final int FIXED_BYTES = 24;
    public static final int PER_WRITE_BYTES = 40;
    /** Most writes one entry may carry; the write batcher stays below it. */
    public static final int MAX_WRITES = 10_000;

    /** What the header says about one write. */
    public record WriteInfo(long clientIdHigh, long clientIdLow, long sequence, int payloadLength, int opKind,
                            long keyHash) {
    }

    public IntentHeader {
        writes = List.copyOf(writes);
        if (writes.size() > MAX_WRITES || payloadLength < 0 || spaceQuotaBytes < 0) {
            throw new IllegalArgumentException("an intent header holds 0.." + MAX_WRITES + " writes and a payload "
                + "length and a space quota >= 0: writes=" + writes.size() + " payloadLength=" + payloadLength
                + " spaceQuotaBytes=" + spaceQuotaBytes);
        }
        long sum = 0;
        for (final WriteInfo w : writes) {
            sum += w.payloadLength();
        }
        if (sum != payloadLength) {
            throw new IllegalArgumentException("the writes' payloads add up to " + sum + " bytes, the header says "
                + payloadLength);
        }
    }

    /** Bytes the encoded header takes for {@code writes} writes. */
    public static int encodedLength(final int writes) {
        return FIXED_BYTES + PER_WRITE_BYTES * writes;
    }

    /** Op kind codes as persisted. */
    static int kindOf(final Op op) {
        if (op instanceof Op.Put) {
            return 1;
        }
        if (op instanceof Op.DeleteRange) {
            return 2;
        }
        if (op instanceof Op.Txn) {
            return 3;
        }
        throw new IllegalArgumentException("not a write: " + op);
    }

    static long keyHashOf(final Op op) {
        if (op instanceof Op.Put p) {
            return Fnv64.of(p.key());
        }
        if (op instanceof Op.DeleteRange d) {
            return Fnv64.of(d.key());
        }
        if (op instanceof Op.Txn t && !t.compares().isEmpty()) {
            return Fnv64.of(t.compares().get(0).key());
        }
        return 0;
    }

    public void encodeTo(final ByteBuffer out) {
        final ByteBuffer b = out.order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) FORMAT).put((byte) 0).putShort((short) 0);
        b.putInt(writes.size()).putInt(payloadLength).putInt(payloadCrc32c).putLong(spaceQuotaBytes);
        for (final WriteInfo w : writes) {
            b.putLong(w.clientIdHigh()).putLong(w.clientIdLow()).putLong(w.sequence()).putInt(w.payloadLength());
            b.put((byte) w.opKind()).put((byte) 0).putShort((short) 0).putLong(w.keyHash());
        }
    }

    public byte[] encode() {
        final ByteBuffer b = ByteBuffer.allocate(encodedLength(writes.size()));
        encodeTo(b);
        return b.array();
    }

    /**
     * Decodes a header, checking every field it can.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static IntentHeader decode(final ByteBuffer in) {
        final ByteBuffer b = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < MIN_FIXED_BYTES) {
            throw new IllegalArgumentException("intent header of " + b.remaining() + " bytes is shorter than "
                + MIN_FIXED_BYTES);
        }
        final int format = b.get() & 0xFF;
        if ((format != FORMAT && format != FORMAT_WITHOUT_QUOTA) || b.get() != 0 || b.getShort() != 0) {
            throw new IllegalArgumentException("intent header format " + format + " is not " + FORMAT_WITHOUT_QUOTA
                + " or " + FORMAT);
        }
        final int count = b.getInt();
        final int payloadLength = b.getInt();
        final int crc = b.getInt();
        if (format == FORMAT && b.remaining() < Long.BYTES) {
            throw new IllegalArgumentException("intent header format 2 ends before its space quota field");
        }
        final long spaceQuotaBytes = format == FORMAT ? b.getLong() : 0; // the constructor refuses a negative one
        if (count < 0 || count > MAX_WRITES || b.remaining() != (long) PER_WRITE_BYTES * count) {
            throw new IllegalArgumentException("intent header says " + count + " writes but holds "
                + b.remaining() + " bytes of write descriptions");
        }
        final List<WriteInfo> writes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final long high = b.getLong();
            final long low = b.getLong();
            final long sequence = b.getLong();
            final int length = b.getInt();
            final int kind = b.get() & 0xFF;
            if (b.get() != 0 || b.getShort() != 0 || kind < 1 || kind > 3 || length < 0 || sequence < 0) {
                throw new IllegalArgumentException("intent header write " + i + " is malformed (kind " + kind
                    + ", length " + length + ", sequence " + sequence + ")");
            }
            writes.add(new WriteInfo(high, low, sequence, length, kind, b.getLong()));
        }
        return new IntentHeader(payloadLength, crc, spaceQuotaBytes, writes);
    }
}

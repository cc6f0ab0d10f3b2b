package io.duetdb.storage.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Layout of one WAL record (format version 1). All integers are little-endian; every record
 * starts 8-byte aligned and is followed by zero padding to the next multiple of 8.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 header CRC32C of bytes 4..31                  |  0
 *  +---------------------------------------------------------------+
 *  |                  body length (bytes, u32)                     |  4
 *  +---------------+---------------+-------------------------------+
 *  |  record type  | format version|            flags              |  8
 *  +---------------+---------------+-------------------------------+
 *  |                     body CRC32C                               | 12
 *  +---------------------------------------------------------------+
 *  |                     term (i64)                                | 16
 *  +---------------------------------------------------------------+
 *  |                     index (i64)                               | 24
 *  +---------------------------------------------------------------+
 *  |                     body ... zero padding to 8                | 32
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Two checksums let recovery tell a torn write from corruption: a header that verifies gives a
 * trustworthy length even when the body does not. An all-zero header is never valid (its CRC would
 * not be zero), so zero-filled preallocated space reads as "no record here".
 */
public final class RecordDescriptor {
    public static final int HEADER_CRC_OFFSET = 0;
    public static final int BODY_LENGTH_OFFSET = HEADER_CRC_OFFSET + Integer.BYTES;
    public static final int TYPE_OFFSET = BODY_LENGTH_OFFSET + Integer.BYTES;
    public static final int VERSION_OFFSET = TYPE_OFFSET + 1;
    public static final int FLAGS_OFFSET = VERSION_OFFSET + 1;
    public static final int BODY_CRC_OFFSET = FLAGS_OFFSET + Short.BYTES;
    public static final int TERM_OFFSET = BODY_CRC_OFFSET + Integer.BYTES;
    public static final int INDEX_OFFSET = TERM_OFFSET + Long.BYTES;
    public static final int HEADER_LENGTH = INDEX_OFFSET + Long.BYTES;

    public static final int ALIGNMENT = 8;
    /**
     * Flag of an INTENT record written by repair from a replica: it replaces the record with the
     * same index (missing, torn or corrupt), may carry an index below the log's last one, and does
     * not move the log's end.
     */
    public static final int FLAG_REPAIR = 0x1;
    public static final int FORMAT_VERSION = 1;
    /** Hard ceiling on a body, whatever the configuration says. */
    public static final int MAX_BODY_LENGTH = 64 * 1024 * 1024;

    static {
        if (HEADER_LENGTH != 32 || HEADER_LENGTH % ALIGNMENT != 0) {
            throw new IllegalStateException("record header layout broken: " + HEADER_LENGTH);
        }
    }

    private RecordDescriptor() {
    }

    /** Bytes a record with this body occupies on disk, padding included. */
    public static int recordLength(final int bodyLength) {
        if (bodyLength < 0 || bodyLength > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("bodyLength=" + bodyLength + " outside 0.." + MAX_BODY_LENGTH);
        }
        return align(HEADER_LENGTH + bodyLength);
    }

    /** Rounds up to the record alignment. */
    public static int align(final int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * Encodes a complete record (header, body, padding) into {@code dst} at its position, which
     * must be 8-aligned relative to the file. Advances the position by {@link #recordLength}.
     */
    public static void encode(
        final ByteBuffer dst, final RecordType type, final int flags, final long term, final long index,
        final ByteBuffer body) {
        if (dst.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("record buffers must be little-endian");
        }
        if (flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("flags=" + flags + " outside 0..65535");
        }
        final int start = dst.position();
        final int bodyLength = body.remaining();
        final int recordLength = recordLength(bodyLength);
        final CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        dst.putInt(start + BODY_LENGTH_OFFSET, bodyLength);
        dst.put(start + TYPE_OFFSET, (byte) type.code());
        dst.put(start + VERSION_OFFSET, (byte) FORMAT_VERSION);
        dst.putShort(start + FLAGS_OFFSET, (short) flags);
        dst.putInt(start + BODY_CRC_OFFSET, (int) crc.getValue());
        dst.putLong(start + TERM_OFFSET, term);
        dst.putLong(start + INDEX_OFFSET, index);
        dst.putInt(start + HEADER_CRC_OFFSET, headerCrc(dst, start));
        dst.position(start + HEADER_LENGTH);
        dst.put(body.duplicate());
        while (dst.position() < start + recordLength) {
            dst.put((byte) 0);
        }
    }

    /** CRC32C of header bytes 4..31 of the record at {@code start}. */
    public static int headerCrc(final ByteBuffer src, final int start) {
        final CRC32C crc = new CRC32C();
        final ByteBuffer view = src.duplicate();
        view.limit(start + HEADER_LENGTH).position(start + BODY_LENGTH_OFFSET);
        crc.update(view);
        return (int) crc.getValue();
    }

    /** CRC32C of {@code length} body bytes starting at {@code start}. */
    public static int bodyCrc(final ByteBuffer src, final int start, final int length) {
        final CRC32C crc = new CRC32C();
        final ByteBuffer view = src.duplicate();
        view.limit(start + length).position(start);
        crc.update(view);
        return (int) crc.getValue();
    }

    /** Whether the header at {@code start} is intact (its CRC matches). */
    public static boolean headerValid(final ByteBuffer src, final int start) {
        return src.getInt(start + HEADER_CRC_OFFSET) == headerCrc(src, start);
    }

    /** The body length of the header at {@code start}; meaningful only if the header is valid. */
    public static int bodyLength(final ByteBuffer src, final int start) {
        return src.getInt(start + BODY_LENGTH_OFFSET);
    }

    public static RecordType type(final ByteBuffer src, final int start) {
        return RecordType.fromCode(src.get(start + TYPE_OFFSET) & 0xFF);
    }

    public static int version(final ByteBuffer src, final int start) {
        return src.get(start + VERSION_OFFSET) & 0xFF;
    }

    public static int flags(final ByteBuffer src, final int start) {
        return src.getShort(start + FLAGS_OFFSET) & 0xFFFF;
    }

    public static int storedBodyCrc(final ByteBuffer src, final int start) {
        return src.getInt(start + BODY_CRC_OFFSET);
    }

    public static long term(final ByteBuffer src, final int start) {
        return src.getLong(start + TERM_OFFSET);
    }

    public static long index(final ByteBuffer src, final int start) {
        return src.getLong(start + INDEX_OFFSET);
    }

    /**
     * What is wrong with a record read back into {@code buffer} (at position 0), or null when it
     * verifies: length, both checksums, index, and term when {@code expectedTerm >= 0}.
     */
    public static String readBackProblem(final ByteBuffer buffer, final int bytesRead, final int expectedLength,
                                         final long index, final long expectedTerm) {
        if (bytesRead < expectedLength) {
            return "short read: " + bytesRead + " of " + expectedLength + " bytes";
        }
        if (!headerValid(buffer, 0)) {
            return "header checksum mismatch";
        }
        final int bodyLength = bodyLength(buffer, 0);
        if (bodyLength < 0 || bodyLength > MAX_BODY_LENGTH || recordLength(bodyLength) != expectedLength) {
            return "length changed on disk";
        }
        if (bodyCrc(buffer, HEADER_LENGTH, bodyLength) != storedBodyCrc(buffer, 0)) {
            return "body checksum mismatch";
        }
        if (index(buffer, 0) != index) {
            return "holds index " + index(buffer, 0);
        }
        if (expectedTerm >= 0 && term(buffer, 0) != expectedTerm) {
            return "holds term " + term(buffer, 0) + ", expected " + expectedTerm;
        }
        return null;
    }
}

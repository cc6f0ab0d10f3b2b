package io.duetdb.storage.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Layout of a segment file's 64-byte header (format version 1, little-endian). Records follow
 * from offset 64 to the end of the preallocated, zero-filled file.
 *
 * <pre>
 *   offset  size  field
 *        0     8  magic "DUETWAL1"
 *        8     4  format version (1)
 *       12     4  log kind (1 intent, 2 completion)
 *       16     8  sequence number (1 for a log's first segment, +1 per roll)
 *       24     8  first index: every record in the segment has an index &gt;= this
 *       32     8  previous last index: the last index written before this segment began
 *       40     8  segment size in bytes
 *       48     8  created at (ms since the epoch)
 *       56     4  reserved, zero
 *       60     4  CRC32C of bytes 0..59
 * </pre>
 *
 * <p>Files are named {@code <first index, 20 digits>-<sequence, 8 digits>.wal}; the sequence
 * orders them and tells a missing segment (a gap in the sequence) from a merely empty index range.
 */
public final class SegmentDescriptor {
    public static final byte[] MAGIC = "DUETWAL1".getBytes(StandardCharsets.US_ASCII);
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 8;
    public static final int KIND_OFFSET = VERSION_OFFSET + Integer.BYTES;
    public static final int SEQUENCE_OFFSET = KIND_OFFSET + Integer.BYTES;
    public static final int FIRST_INDEX_OFFSET = SEQUENCE_OFFSET + Long.BYTES;
    public static final int PREVIOUS_LAST_INDEX_OFFSET = FIRST_INDEX_OFFSET + Long.BYTES;
    public static final int SIZE_OFFSET = PREVIOUS_LAST_INDEX_OFFSET + Long.BYTES;
    public static final int CREATED_AT_OFFSET = SIZE_OFFSET + Long.BYTES;
    public static final int RESERVED_OFFSET = CREATED_AT_OFFSET + Long.BYTES;
    public static final int CRC_OFFSET = RESERVED_OFFSET + Integer.BYTES;
    public static final int HEADER_LENGTH = CRC_OFFSET + Integer.BYTES;
    public static final int FORMAT_VERSION = 1;

    /** Smallest allowed segment: a header and one maximal record must never be needed to fit. */
    public static final long MIN_SEGMENT_SIZE_BYTES = 64 * 1024;
    /** Offsets inside a segment are kept in ints. */
    public static final long MAX_SEGMENT_SIZE_BYTES = 1L << 30;

    private static final Pattern NAME = Pattern.compile("(\\d{20})-(\\d{8})\\.wal");

    static {
        if (HEADER_LENGTH != 64) {
            throw new IllegalStateException("segment header layout broken: " + HEADER_LENGTH);
        }
    }

    private SegmentDescriptor() {
    }

    /** The file name of a segment. */
    public static String fileName(final long firstIndex, final long sequence) {
        if (firstIndex < 0 || sequence < 1 || sequence > 99_999_999L) {
            throw new IllegalArgumentException("firstIndex=" + firstIndex + " sequence=" + sequence);
        }
        return String.format("%020d-%08d.wal", firstIndex, sequence);
    }

    /** The sequence number in a segment file name, or -1 when the name is not a segment's. */
    public static long sequenceOf(final String fileName) {
        final Matcher m = NAME.matcher(fileName);
        return m.matches() ? Long.parseLong(m.group(2)) : -1;
    }

    /** Encodes a header into a new 64-byte little-endian buffer, ready to write at offset 0. */
    public static ByteBuffer encode(
        final WalKind kind, final long sequence, final long firstIndex, final long previousLastIndex,
        final long sizeBytes, final long createdAtMs) {
        final ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC);
        b.putInt(VERSION_OFFSET, FORMAT_VERSION);
        b.putInt(KIND_OFFSET, kind.code());
        b.putLong(SEQUENCE_OFFSET, sequence);
        b.putLong(FIRST_INDEX_OFFSET, firstIndex);
        b.putLong(PREVIOUS_LAST_INDEX_OFFSET, previousLastIndex);
        b.putLong(SIZE_OFFSET, sizeBytes);
        b.putLong(CREATED_AT_OFFSET, createdAtMs);
        b.putInt(CRC_OFFSET, crc(b));
        b.clear();
        return b;
    }

    /** A decoded, verified segment header. */
    public record Header(WalKind kind, long sequence, long firstIndex, long previousLastIndex, long sizeBytes,
                         long createdAtMs) {
    }

    /**
     * Decodes and verifies a header.
     *
     * @return the header, or null with {@code problem[0]} set to what is wrong
     */
    public static Header decode(final ByteBuffer src, final String[] problem) {
        final ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < HEADER_LENGTH) {
            problem[0] = "file is " + b.limit() + " bytes, shorter than the " + HEADER_LENGTH + "-byte segment header";
            return null;
        }
        if (b.getInt(CRC_OFFSET) != crc(b)) {
            problem[0] = "segment header checksum mismatch";
            return null;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(MAGIC_OFFSET + i) != MAGIC[i]) {
                problem[0] = "not a Duet WAL segment (bad magic)";
                return null;
            }
        }
        if (b.getInt(VERSION_OFFSET) != FORMAT_VERSION) {
            problem[0] = "unsupported segment format version " + b.getInt(VERSION_OFFSET);
            return null;
        }
        final WalKind kind = WalKind.fromCode(b.getInt(KIND_OFFSET));
        if (kind == null) {
            problem[0] = "unknown log kind " + b.getInt(KIND_OFFSET);
            return null;
        }
        return new Header(kind, b.getLong(SEQUENCE_OFFSET), b.getLong(FIRST_INDEX_OFFSET),
            b.getLong(PREVIOUS_LAST_INDEX_OFFSET), b.getLong(SIZE_OFFSET), b.getLong(CREATED_AT_OFFSET));
    }

    private static int crc(final ByteBuffer b) {
        final CRC32C crc = new CRC32C();
        final ByteBuffer view = b.duplicate();
        view.position(0).limit(CRC_OFFSET);
        crc.update(view);
        return (int) crc.getValue();
    }
}

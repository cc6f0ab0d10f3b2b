package io.duetdb.storage.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Constants and file naming of the checkpoint format, whose layout is documented byte by byte on
 * {@link CheckpointStore} and in docs/checkpoint-format.md. Integers are little-endian.
 */
final class CheckpointFormat {
    static final byte[] MAGIC = "DUETCKPT".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TRAILER_MAGIC = "CKPTEND\0".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    static final int HEADER_BYTES = 48;
    static final int VERSION_OFFSET = 8;
    static final int INDEX_OFFSET = 12;
    static final int TERM_OFFSET = 20;
    static final int ENTRY_COUNT_OFFSET = 28;
    static final int CREATED_AT_OFFSET = 36;
    static final int HEADER_CRC_OFFSET = 44;

    /** u32 body length + u32 body CRC32C in front of every entry body. */
    static final int ENTRY_FRAME_BYTES = 8;
    /** The body's fixed part: u32 key length, u32 value length, three i64. */
    static final int ENTRY_FIXED_BODY_BYTES = 4 + 4 + 3 * 8;

    /** Magic (8), entry count (8), CRC32C of every preceding byte (4). */
    static final int TRAILER_BYTES = 20;

    static final String SUFFIX = ".ckpt";
    static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{20})-(\\d{1,19})\\.ckpt");

    private CheckpointFormat() {
    }

    /** The file name of the checkpoint at {@code index} written in {@code term}. */
    static String fileName(final long index, final long term) {
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("index=" + index + " term=" + term + ": both must be >= 0");
        }
        return String.format("checkpoint-%020d-%d%s", index, term, SUFFIX);
    }

    /** Whether {@code name} is a checkpoint's temp file (left behind by a crash mid-write). */
    static boolean isTempName(final String name) {
        return name.startsWith("checkpoint-") && name.endsWith(SUFFIX + TEMP_SUFFIX);
    }

    /** {index, term} from a checkpoint file name, or null when the name is not one. */
    static long[] parseName(final String name) {
        final Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        } catch (final NumberFormatException e) {
            return null; // 20 or 19 digits can still overflow a long
        }
    }

    /** The 48 header bytes, CRC included. */
    static byte[] encodeHeader(final long index, final long term, final long entryCount, final long createdAtMs) {
        final ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put(MAGIC).putInt(VERSION).putLong(index).putLong(term).putLong(entryCount).putLong(createdAtMs);
        h.putInt(crc32c(h.array(), 0, HEADER_CRC_OFFSET));
        return h.array();
    }

    static int crc32c(final byte[] data, final int offset, final int length) {
        final CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    static String hex(final int crc) {
        return String.format("0x%08x", crc);
    }
}

package io.duetdb.storage.checkpoint;

import java.nio.charset.StandardCharsets;

/**
 * Layout of a checkpoint file (format version 1, big-endian). Documented in
 * docs/checkpoint-format.md.
 *
 * <pre>
 *   header (48 bytes)
 *     0  8  magic "DUETCKPT"
 *     8  4  format version (1)
 *    12  8  index: the table as of this Raft index
 *    20  8  term of that index
 *    28  8  entry count
 *    36  8  created at (ms since the epoch)
 *    44  4  CRC32C of bytes 0..43
 *   entries, in key order, each:
 *     u32 body length, u32 CRC32C of the body,
 *     body: u32 key length, key, u32 value length, value, i64 create revision, i64 mod revision, i64 version
 *   trailer (20 bytes)
 *     8  magic "CKPTEND\0"
 *     8  entry count (again)
 *     4  CRC32C of every byte of the file before this field
 * </pre>
 */
final class CheckpointFormat {
    static final byte[] MAGIC = "DUETCKPT".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TRAILER_MAGIC = "CKPTEND\0".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = 48;
    static final int HEADER_CRC_OFFSET = 44;
    /** Largest entry body: a key and a value at the hard limits, plus fixed fields. */
    static final int MAX_ENTRY_BODY_BYTES = 64 * 1024 * 1024;
    static final String PREFIX = "checkpoint-";
    static final String SUFFIX = ".ckpt";

    private CheckpointFormat() {
    }

    static String fileName(final long index, final long term) {
        return String.format("%s%020d-%d%s", PREFIX, index, term, SUFFIX);
    }

    /** {index, term} from a file name, or null when it is not a checkpoint's. */
    static long[] parse(final String name) {
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return null;
        }
        final String[] parts = name.substring(PREFIX.length(), name.length() - SUFFIX.length()).split("-");
        if (parts.length != 2) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (final NumberFormatException e) {
            return null;
        }
    }
}

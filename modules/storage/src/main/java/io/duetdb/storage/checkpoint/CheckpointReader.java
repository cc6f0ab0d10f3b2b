package io.duetdb.storage.checkpoint;

import io.duetdb.storage.table.KeyRanges;
import io.duetdb.storage.table.KeyValue;
import io.duetdb.storage.table.KvTable;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads and verifies one checkpoint file: header CRC, every entry's CRC, key order, trailer and
 * whole-file CRC. Any damage is a {@link CorruptCheckpointException} with the offset of the
 * damaged structure; a short file is reported as truncated at its length.
 */
final class CheckpointReader {
    private static final int IO_BUFFER_BYTES = 1 << 17;
    private static final int MIN_ENTRY_BODY_BYTES = CheckpointFormat.ENTRY_FIXED_BODY_BYTES + 1;

    private final Path file;
    private final long fileBytes;
    private final CountingInput in;
    private final CRC32C entryCrc = new CRC32C();
    private byte[] body = new byte[4096];

    private CheckpointReader(final Path file, final long fileBytes, final InputStream in) {
        this.file = file;
        this.fileBytes = fileBytes;
        this.in = new CountingInput(in);
    }

    /** Loads and verifies {@code file}. */
    static LoadedCheckpoint read(final Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final long size = channel.size();
            return new CheckpointReader(file, size,
                new BufferedInputStream(Channels.newInputStream(channel), IO_BUFFER_BYTES)).readAll();
        }
    }

    /** The header of {@code file} as {index, term, entryCount}, verified. */
    static long[] readHeader(final Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new CheckpointReader(file, channel.size(), Channels.newInputStream(channel)).header();
        }
    }

    private LoadedCheckpoint readAll() throws IOException {
        final long[] header = header();
        final long index = header[0];
        final long entryCount = header[2];
        // Capacity bounded by what the file can hold, so a damaged count cannot allocate much.
        final long fitting = (fileBytes - CheckpointFormat.HEADER_BYTES) / (CheckpointFormat.ENTRY_FRAME_BYTES
            + MIN_ENTRY_BODY_BYTES);
        final List<KeyValue> entries = new ArrayList<>((int) Math.max(0, Math.min(entryCount, fitting)));
        byte[] previousKey = null;
        for (long e = 0; e < entryCount; e++) {
            final long at = in.position;
            final KeyValue kv = readEntry(e, at);
            if (kv.modRevision() > index) {
                throw corrupt(at, "entry " + e + " has modRevision " + kv.modRevision() + ", above the checkpoint "
                    + "index " + index);
            }
            if (previousKey != null && KeyRanges.compare(kv.key(), previousKey) <= 0) {
                throw corrupt(at, "entry " + e + " key is not after the previous entry's key (keys must be "
                    + "strictly ascending)");
            }
            previousKey = kv.key();
            entries.add(kv);
        }
        readTrailer(entryCount);
        final CheckpointInfo info = new CheckpointInfo(file, index, header[1], entryCount, fileBytes);
        return new LoadedCheckpoint(info, KvTable.restore(index, entries));
    }

    private long[] header() throws IOException {
        final byte[] bytes = new byte[CheckpointFormat.HEADER_BYTES];
        readFully(bytes, bytes.length, "the header");
        final ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (!Arrays.equals(bytes, 0, 8, CheckpointFormat.MAGIC, 0, 8)) {
            throw corrupt(0, "bad magic " + ascii(bytes, 0, 8) + " (expected 'DUETCKPT'): not a Duet checkpoint, "
                + "or a damaged header");
        }
        final int stored = h.getInt(CheckpointFormat.HEADER_CRC_OFFSET);
        final int computed = CheckpointFormat.crc32c(bytes, 0, CheckpointFormat.HEADER_CRC_OFFSET);
        if (stored != computed) {
            throw corrupt(0, "header (bytes 0-47) checksum mismatch (stored " + CheckpointFormat.hex(stored)
                + ", computed " + CheckpointFormat.hex(computed) + ")");
        }
        final int version = h.getInt(CheckpointFormat.VERSION_OFFSET);
        if (version != CheckpointFormat.VERSION) {
            throw corrupt(CheckpointFormat.VERSION_OFFSET, "format version " + version + " is not supported (this "
                + "build reads version " + CheckpointFormat.VERSION + ")");
        }
        final long index = h.getLong(CheckpointFormat.INDEX_OFFSET);
        final long term = h.getLong(CheckpointFormat.TERM_OFFSET);
        final long entryCount = h.getLong(CheckpointFormat.ENTRY_COUNT_OFFSET);
        if (index < 0 || term < 0 || entryCount < 0) {
            throw corrupt(CheckpointFormat.INDEX_OFFSET, "negative index " + index + ", term " + term
                + " or entry count " + entryCount);
        }
        final long[] named = CheckpointFormat.parseName(file.getFileName().toString());
        if (named != null && (named[0] != index || named[1] != term)) {
            throw corrupt(CheckpointFormat.INDEX_OFFSET, "the header says index " + index + " term " + term
                + " but the file name says index " + named[0] + " term " + named[1]);
        }
        return new long[] {index, term, entryCount};
    }

    private KeyValue readEntry(final long e, final long at) throws IOException {
        final byte[] frame = new byte[CheckpointFormat.ENTRY_FRAME_BYTES];
        readFully(frame, frame.length, "entry " + e + " frame");
        final ByteBuffer f = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        final long length = Integer.toUnsignedLong(f.getInt());
        final int storedCrc = f.getInt();
        if (length < MIN_ENTRY_BODY_BYTES) {
            throw corrupt(at, "entry " + e + " body length " + length + " is below the minimum "
                + MIN_ENTRY_BODY_BYTES);
        }
        if (at + CheckpointFormat.ENTRY_FRAME_BYTES + length > fileBytes) {
            throw corrupt(fileBytes, "file truncated at " + fileBytes + " bytes: entry " + e + " at offset " + at
                + " declares a " + length + "-byte body that runs past the end (or its length field is damaged)");
        }
        final int bodyBytes = (int) length; // fits: it is at most the file's length, checked above
        if (body.length < bodyBytes) {
            body = new byte[Math.max(bodyBytes, (int) Math.min(Integer.MAX_VALUE - 16, 2L * body.length))];
        }
        readFully(body, bodyBytes, "entry " + e + " body");
        entryCrc.reset();
        entryCrc.update(body, 0, bodyBytes);
        if ((int) entryCrc.getValue() != storedCrc) {
            throw corrupt(at, "entry " + e + " checksum mismatch (stored " + CheckpointFormat.hex(storedCrc)
                + ", computed " + CheckpointFormat.hex((int) entryCrc.getValue()) + ")");
        }
        final ByteBuffer b = ByteBuffer.wrap(body, 0, bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        final int keyBytes = b.getInt();
        if (keyBytes < 1 || keyBytes > bodyBytes - CheckpointFormat.ENTRY_FIXED_BODY_BYTES) {
            throw corrupt(at, "entry " + e + " key length " + Integer.toUnsignedString(keyBytes)
                + " does not fit its " + bodyBytes + "-byte body");
        }
        final byte[] key = new byte[keyBytes];
        b.get(key);
        final int valueBytes = b.getInt();
        if (valueBytes != bodyBytes - CheckpointFormat.ENTRY_FIXED_BODY_BYTES - keyBytes) {
            throw corrupt(at, "entry " + e + " value length " + Integer.toUnsignedString(valueBytes)
                + " does not match its " + bodyBytes + "-byte body");
        }
        final byte[] value = new byte[valueBytes];
        b.get(value);
        try {
            return new KeyValue(key, value, b.getLong(), b.getLong(), b.getLong());
        } catch (final IllegalArgumentException invalid) {
            throw corrupt(at, "entry " + e + " is impossible: " + invalid.getMessage());
        }
    }

    private void readTrailer(final long entryCount) throws IOException {
        final long at = in.position;
        final byte[] t = new byte[CheckpointFormat.TRAILER_BYTES];
        readFully(t, 16, "the trailer");
        if (!Arrays.equals(t, 0, 8, CheckpointFormat.TRAILER_MAGIC, 0, 8)) {
            throw corrupt(at, "bad trailer magic " + ascii(t, 0, 8) + " after entry " + (entryCount - 1)
                + " (expected 'CKPTEND\\0')");
        }
        final ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(8) != entryCount) {
            throw corrupt(at + 8, "trailer entry count " + b.getLong(8) + " differs from the header's " + entryCount);
        }
        final int computed = (int) in.crc.getValue(); // every byte before the CRC field
        in.readFully(t, 16, 4, this, "the trailer checksum");
        final int stored = b.getInt(16);
        if (stored != computed) {
            throw corrupt(at + 16, "file checksum mismatch (stored " + CheckpointFormat.hex(stored) + ", computed "
                + CheckpointFormat.hex(computed) + ")");
        }
        if (in.position != fileBytes || in.read() != -1) {
            throw corrupt(in.position, (fileBytes - in.position) + " unexpected bytes after the trailer");
        }
    }

    private void readFully(final byte[] into, final int length, final String what) throws IOException {
        in.readFully(into, 0, length, this, what);
    }

    private CorruptCheckpointException truncated(final long at, final String what) {
        return corrupt(fileBytes, "file truncated at " + fileBytes + " bytes, in " + what + " at offset " + at);
    }

    private CorruptCheckpointException corrupt(final long offset, final String what) {
        return new CorruptCheckpointException(file, offset, what);
    }

    private static String ascii(final byte[] b, final int from, final int length) {
        final StringBuilder s = new StringBuilder("'");
        for (int i = from; i < from + length; i++) {
            s.append(b[i] >= 0x20 && b[i] < 0x7f ? String.valueOf((char) b[i]) : String.format("\\x%02x", b[i]));
        }
        return s.append('\'').toString();
    }

    /** Counts and checksums the bytes consumed (not the ones buffered ahead). */
    private static final class CountingInput {
        final CRC32C crc = new CRC32C();
        long position;
        private final InputStream in;

        CountingInput(final InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            final int b = in.read();
            if (b >= 0) {
                crc.update(b);
                position++;
            }
            return b;
        }

        void readFully(final byte[] into, final int offset, final int length, final CheckpointReader reader,
                       final String what) throws IOException {
            final long at = position;
            int done = 0;
            while (done < length) {
                final int n = in.read(into, offset + done, length - done);
                if (n < 0) {
                    throw reader.truncated(at, what);
                }
                crc.update(into, offset + done, n);
                position += n;
                done += n;
            }
        }
    }
}

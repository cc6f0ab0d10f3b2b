package io.duetdb.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The file {@code duetctl snapshot save} writes: a node's snapshot files in one checksummed file.
 * Big-endian:
 * <pre>
 *   "DUETSNAP" | u32 format (1) | u64 index | u64 term | u32 file count (1..16)
 *   per file:  u16 name length (1..255) | name (UTF-8, a plain file name) | u64 size | bytes | u32 CRC32C(bytes)
 *   u32 CRC32C of everything before it
 * </pre>
 */
final class SnapshotArchive {
    static final byte[] MAGIC = "DUETSNAP".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 1;
    static final int MAX_FILES = 16;
    static final int MAX_NAME_BYTES = 255;
    private static final int COPY_BUFFER_BYTES = 1 << 16;

    /** What an archive holds. */
    record Contents(long index, long term, List<String> fileNames, long totalBytes) {
    }

    private SnapshotArchive() {
    }

    /** Writes {@code files} (in this order) to {@code archive} atomically: a temp file, fsync, rename. */
    static void write(final Path archive, final long index, final long term, final List<Path> files) throws IOException {
        if (files.isEmpty() || files.size() > MAX_FILES) {
            throw new IllegalArgumentException("a snapshot has 1.." + MAX_FILES + " files, not " + files.size());
        }
        final Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
        final CRC32C whole = new CRC32C();
        try (OutputStream raw = Files.newOutputStream(tmp);
             CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw), whole);
             DataOutputStream out = new DataOutputStream(checked)) {
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(index);
            out.writeLong(term);
            out.writeInt(files.size());
            final byte[] buf = new byte[COPY_BUFFER_BYTES];
            for (final Path f : files) {
                final byte[] name = f.getFileName().toString().getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length);
                out.write(name);
                out.writeLong(Files.size(f));
                final CRC32C crc = new CRC32C();
                try (InputStream in = Files.newInputStream(f)) {
                    for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                        out.write(buf, 0, n);
                        crc.update(buf, 0, n);
                    }
                }
                out.writeInt((int) crc.getValue());
            }
            out.flush();
            out.writeInt((int) whole.getValue());
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads and verifies an archive, writing its files into {@code intoDir} (which must exist).
     * Every checksum is checked; on any damage an {@link IOException} names what and where, and
     * the files written so far must be thrown away by the caller.
     */
    static Contents extract(final Path archive, final Path intoDir) throws IOException {
        final long archiveBytes = Files.size(archive);
        final CRC32C whole = new CRC32C();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             CheckedInputStream checked = new CheckedInputStream(raw, whole);
             DataInputStream in = new DataInputStream(checked)) {
            final byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(archive + " is not a Duet snapshot (made by 'duetctl snapshot save')");
            }
            final int format = in.readInt();
            if (format != FORMAT) {
                throw new IOException(archive + ": snapshot format " + format + " is not supported (this duetctl reads "
                    + FORMAT + ")");
            }
            final long index = in.readLong();
            final long term = in.readLong();
            final int count = in.readInt();
            if (count < 1 || count > MAX_FILES) {
                throw new IOException(archive + " is damaged: it claims " + count + " files");
            }
            final List<String> names = new ArrayList<>();
            long total = 0;
            final byte[] buf = new byte[COPY_BUFFER_BYTES];
            for (int i = 0; i < count; i++) {
                final int nameLength = in.readUnsignedShort();
                final String name = new String(in.readNBytes(nameLength), StandardCharsets.UTF_8);
                if (nameLength < 1 || nameLength > MAX_NAME_BYTES || name.contains("/") || name.contains("\\")
                    || name.startsWith(".")) {
                    throw new IOException(archive + " is damaged: file " + i + " has the name '" + name + "'");
                }
                final long size = in.readLong();
                if (size < 0 || size > archiveBytes) {
                    throw new IOException(archive + " is damaged: file " + name + " claims " + size + " bytes");
                }
                final CRC32C crc = new CRC32C();
                try (OutputStream out = Files.newOutputStream(intoDir.resolve(name), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                    for (long left = size; left > 0; ) {
                        final int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new EOFException(archive + " is truncated inside file " + name);
                        }
                        out.write(buf, 0, n);
                        crc.update(buf, 0, n);
                        left -= n;
                    }
                }
                if (in.readInt() != (int) crc.getValue()) {
                    throw new IOException(archive + " is damaged: the checksum of " + name + " does not match");
                }
                names.add(name);
                total += size;
            }
            final int expected = (int) whole.getValue();
            if (in.readInt() != expected) {
                throw new IOException(archive + " is damaged: the archive checksum does not match");
            }
            if (in.read() != -1) {
                throw new IOException(archive + " has bytes after its end: not a whole snapshot");
            }
            return new Contents(index, term, List.copyOf(names), total);
        } catch (final EOFException e) {
            throw new IOException(archive + " is truncated: " + e.getMessage(), e);
        }
    }
}

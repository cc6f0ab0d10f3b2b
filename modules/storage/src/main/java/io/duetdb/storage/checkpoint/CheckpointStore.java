package io.duetdb.storage.checkpoint;

import io.duetdb.storage.table.KeyValue;
import io.duetdb.storage.table.KvTable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of the table in one directory: written atomically (temp file, fsync, rename,
 * directory fsync), verified entry by entry on load, the newest {@code retain} kept.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    public static final int DEFAULT_RETAIN = 3;
    private static final int IO_BUFFER_BYTES = 1 << 16;

    private final Path dir;
    private final int retain;

    public CheckpointStore(final Path dir) throws IOException {
        this(dir, DEFAULT_RETAIN);
    }

    public CheckpointStore(final Path dir, final int retain) throws IOException {
        if (retain < 2) {
            throw new IllegalArgumentException("retain=" + retain + " must be >= 2 (recovery may need the previous one)");
        }
        this.dir = dir;
        this.retain = retain;
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes the table as of {@code index} and prunes old checkpoints. */
    public CheckpointInfo write(final KvTable table, final long index, final long term) throws IOException {
        final Path target = dir.resolve(CheckpointFormat.fileName(index, term));
        final Path temp = dir.resolve(target.getFileName() + ".tmp");
        final long[] count = {0};
        try {
            try (FileOutputStream file = new FileOutputStream(temp.toFile());
                 CrcOutputStream crcOut = new CrcOutputStream(new BufferedOutputStream(file, IO_BUFFER_BYTES));
                 DataOutputStream out = new DataOutputStream(crcOut)) {
                final long entryCount = table.size();
                final ByteBuffer header = ByteBuffer.allocate(CheckpointFormat.HEADER_BYTES);
                header.put(CheckpointFormat.MAGIC).putInt(CheckpointFormat.VERSION).putLong(index).putLong(term)
                    .putLong(entryCount).putLong(System.currentTimeMillis());
                header.putInt(crc(header.array(), 0, CheckpointFormat.HEADER_CRC_OFFSET));
                out.write(header.array());
                final CRC32C entryCrc = new CRC32C();
                table.forEach(kv -> {
                    try {
                        final byte[] body = encodeEntry(kv);
                        entryCrc.reset();
                        entryCrc.update(body);
                        out.writeInt(body.length);
                        out.writeInt((int) entryCrc.getValue());
                        out.write(body);
                        count[0]++;
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                if (count[0] != entryCount) {
                    throw new IllegalStateException("table changed while being checkpointed: " + count[0] + " entries, "
                        + "expected " + entryCount);
                }
                out.write(CheckpointFormat.TRAILER_MAGIC);
                out.writeLong(count[0]);
                out.flush();
                out.writeInt((int) crcOut.crc.getValue());
                out.flush();
                file.getChannel().force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
        } catch (final UncheckedIOException e) {
            Files.deleteIfExists(temp);
            throw e.getCause();
        } catch (final IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        prune();
        return new CheckpointInfo(target, index, term, count[0], Files.size(target));
    }

    private static byte[] encodeEntry(final KeyValue kv) {
        final ByteBuffer b = ByteBuffer.allocate(4 + kv.key().length + 4 + kv.value().length + 24);
        b.putInt(kv.key().length).put(kv.key()).putInt(kv.value().length).put(kv.value())
            .putLong(kv.createRevision()).putLong(kv.modRevision()).putLong(kv.version());
        return b.array();
    }

    /** Every checkpoint in the directory, newest (highest index) first, by name only. */
    public List<CheckpointInfo> list() throws IOException {
        final List<CheckpointInfo> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path p : files.toList()) {
                final long[] parsed = CheckpointFormat.parse(p.getFileName().toString());
                if (parsed != null) {
                    found.add(new CheckpointInfo(p, parsed[0], parsed[1], -1, Files.size(p)));
                }
            }
        }
        found.sort(Comparator.comparingLong(CheckpointInfo::index).reversed());
        return found;
    }

    /**
     * Loads the newest checkpoint. A damaged newest checkpoint is an error unless
     * {@code allowFallback}, in which case it is logged with its location and the next older one
     * is tried.
     */
    public Optional<LoadedCheckpoint> loadLatest(final boolean allowFallback) throws IOException {
        CorruptCheckpointException first = null;
        for (final CheckpointInfo info : list()) {
            try {
                return Optional.of(load(info.file()));
            } catch (final CorruptCheckpointException e) {
                if (!allowFallback) {
                    throw e;
                }
                LOG.warn("skipping damaged checkpoint: {}", e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
        return Optional.empty();
    }

    /** Loads and verifies one checkpoint file. */
    public static LoadedCheckpoint load(final Path file) throws IOException {
        try (CountingCrcInputStream counting = new CountingCrcInputStream(
                new BufferedInputStream(Files.newInputStream(file), IO_BUFFER_BYTES));
             DataInputStream in = new DataInputStream(counting)) {
            final long fileSize = Files.size(file);
            final byte[] header = new byte[CheckpointFormat.HEADER_BYTES];
            readFully(in, header, file, counting);
            final ByteBuffer h = ByteBuffer.wrap(header);
            if (h.getInt(CheckpointFormat.HEADER_CRC_OFFSET) != crc(header, 0, CheckpointFormat.HEADER_CRC_OFFSET)) {
                throw new CorruptCheckpointException(file, 0, "header checksum mismatch");
            }
            if (!Arrays.equals(Arrays.copyOf(header, 8), CheckpointFormat.MAGIC)) {
                throw new CorruptCheckpointException(file, 0, "not a Duet checkpoint (bad magic)");
            }
            if (h.getInt(8) != CheckpointFormat.VERSION) {
                throw new CorruptCheckpointException(file, 8, "unsupported format version " + h.getInt(8));
            }
            final long index = h.getLong(12);
            final long term = h.getLong(20);
            final long entryCount = h.getLong(28);
            if (entryCount < 0) {
                throw new CorruptCheckpointException(file, 28, "negative entry count " + entryCount);
            }
            final List<KeyValue> entries = new ArrayList<>((int) Math.min(entryCount, 1 << 20));
            final CRC32C entryCrc = new CRC32C();
            for (long e = 0; e < entryCount; e++) {
                final long offset = counting.count;
                final int length = readInt(in, file, counting);
                final int storedCrc = readInt(in, file, counting);
                if (length < 28 || length > CheckpointFormat.MAX_ENTRY_BODY_BYTES
                    || offset + 8 + length > fileSize) {
                    throw new CorruptCheckpointException(file, offset, "entry " + e + " has impossible length " + length
                        + " (the file is " + fileSize + " bytes)");
                }
                final byte[] body = new byte[length];
                readFully(in, body, file, counting);
                entryCrc.reset();
                entryCrc.update(body);
                if ((int) entryCrc.getValue() != storedCrc) {
                    throw new CorruptCheckpointException(file, offset, "entry " + e + " checksum mismatch (stored 0x"
                        + Integer.toHexString(storedCrc) + ", computed 0x" + Integer.toHexString((int) entryCrc.getValue())
                        + ")");
                }
                entries.add(decodeEntry(body, file, offset, e));
            }
            final long trailerOffset = counting.count;
            final byte[] magic = new byte[8];
            readFully(in, magic, file, counting);
            if (!Arrays.equals(magic, CheckpointFormat.TRAILER_MAGIC)) {
                throw new CorruptCheckpointException(file, trailerOffset, "trailer magic missing");
            }
            if (readLong(in, file, counting) != entryCount) {
                throw new CorruptCheckpointException(file, trailerOffset + 8, "trailer entry count differs from header");
            }
            final int computed = (int) counting.crc.getValue();
            final int stored = readInt(in, file, counting);
            if (stored != computed) {
                throw new CorruptCheckpointException(file, trailerOffset + 16, "whole-file checksum mismatch");
            }
            if (in.read() != -1) {
                throw new CorruptCheckpointException(file, counting.count - 1, "bytes after the trailer");
            }
            final KvTable table = KvTable.restore(index, entries);
            return new LoadedCheckpoint(new CheckpointInfo(file, index, term, entryCount, Files.size(file)), table);
        }
    }

    private static KeyValue decodeEntry(final byte[] body, final Path file, final long offset, final long e)
        throws CorruptCheckpointException {
        final ByteBuffer b = ByteBuffer.wrap(body);
        final int keyLength = b.getInt();
        if (keyLength < 1 || keyLength > b.remaining() - 28) {
            throw new CorruptCheckpointException(file, offset, "entry " + e + " key length " + keyLength);
        }
        final byte[] key = new byte[keyLength];
        b.get(key);
        final int valueLength = b.getInt();
        if (valueLength < 0 || valueLength != b.remaining() - 24) {
            throw new CorruptCheckpointException(file, offset, "entry " + e + " value length " + valueLength);
        }
        final byte[] value = new byte[valueLength];
        b.get(value);
        return new KeyValue(key, value, b.getLong(), b.getLong(), b.getLong());
    }

    private void prune() throws IOException {
        final List<CheckpointInfo> all = list();
        for (int i = retain; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i).file());
        }
        if (all.size() > retain) {
            syncDirectory();
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static int crc(final byte[] data, final int offset, final int length) {
        final CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    private static void readFully(final DataInputStream in, final byte[] b, final Path file,
                                  final CountingCrcInputStream counting) throws IOException {
        try {
            in.readFully(b);
        } catch (final EOFException e) {
            throw new CorruptCheckpointException(file, counting.count, "file truncated at " + counting.count + " bytes");
        }
    }

    private static int readInt(final DataInputStream in, final Path file, final CountingCrcInputStream counting)
        throws IOException {
        final byte[] b = new byte[4];
        readFully(in, b, file, counting);
        return ByteBuffer.wrap(b).getInt();
    }

    private static long readLong(final DataInputStream in, final Path file, final CountingCrcInputStream counting)
        throws IOException {
        final byte[] b = new byte[8];
        readFully(in, b, file, counting);
        return ByteBuffer.wrap(b).getLong();
    }

    /** Checksums everything written through it. */
    private static final class CrcOutputStream extends FilterOutputStream {
        final CRC32C crc = new CRC32C();

        CrcOutputStream(final OutputStream out) {
            super(out);
        }

        @Override
        public void write(final int b) throws IOException {
            crc.update(b);
            out.write(b);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException {
            crc.update(b, off, len);
            out.write(b, off, len);
        }
    }

    /** Counts and checksums everything read through it. */
    private static final class CountingCrcInputStream extends FilterInputStream {
        final CRC32C crc = new CRC32C();
        long count;

        CountingCrcInputStream(final InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            final int b = in.read();
            if (b >= 0) {
                crc.update(b);
                count++;
            }
            return b;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) throws IOException {
            final int n = in.read(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                count += n;
            }
            return n;
        }
    }
}

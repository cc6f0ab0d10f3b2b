package io.duetdb.storage.checkpoint;

import io.duetdb.storage.table.KeyValue;
import io.duetdb.storage.table.KvTable;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** Writes one table to one checkpoint file and forces it to disk; publication is the store's job. */
final class CheckpointWriter {
    /** Large enough that a million small entries cost few system calls. */
    private static final int IO_BUFFER_BYTES = 1 << 17;

    private final CRC32C entryCrc = new CRC32C();
    private ByteBuffer scratch = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    private CheckpointWriter() {
    }

    /**
     * Writes {@code table} into {@code file} (created or truncated) and forces it to disk.
     *
     * @return the number of entries written
     * @throws IllegalStateException when the table changed during the write: the caller must keep
     *     the applier away, or the file would mix two revisions
     */
    static long write(final Path file, final KvTable table, final long index, final long term,
                      final long createdAtMs) throws IOException {
        return new CheckpointWriter().writeFile(file, table, index, term, createdAtMs);
    }

    private long writeFile(final Path file, final KvTable table, final long index, final long term,
                           final long createdAtMs) throws IOException {
        final long entryCount = table.size();
        final long revision = table.lastAppliedRevision();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            final CrcOutputStream out = new CrcOutputStream(
                new BufferedOutputStream(Channels.newOutputStream(channel), IO_BUFFER_BYTES));
            out.write(CheckpointFormat.encodeHeader(index, term, entryCount, createdAtMs));
            final long[] written = {0};
            try {
                table.forEach(kv -> {
                    try {
                        writeEntry(out, kv);
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    written[0]++;
                });
            } catch (final UncheckedIOException e) {
                throw e.getCause();
            }
            if (written[0] != entryCount || table.lastAppliedRevision() != revision) {
                throw new IllegalStateException("the table changed while being checkpointed: " + written[0]
                    + " entries written, " + entryCount + " expected; revision " + revision + " -> "
                    + table.lastAppliedRevision());
            }
            final ByteBuffer trailer = ByteBuffer.allocate(CheckpointFormat.TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            trailer.put(CheckpointFormat.TRAILER_MAGIC).putLong(entryCount);
            out.write(trailer.array(), 0, 16);
            trailer.putInt((int) out.crc.getValue()); // covers every byte before this field
            out.write(trailer.array(), 16, 4);
            out.flush();
            channel.force(true);
            return written[0];
        }
    }

    private void writeEntry(final OutputStream out, final KeyValue kv) throws IOException {
        final long bodyBytes = CheckpointFormat.ENTRY_FIXED_BODY_BYTES + (long) kv.key().length + kv.value().length;
        final long totalBytes = CheckpointFormat.ENTRY_FRAME_BYTES + bodyBytes;
        if (totalBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("entry " + kv + " is " + totalBytes + " bytes; the limit is 2 GiB");
        }
        if (scratch.capacity() < totalBytes) {
            scratch = ByteBuffer.allocate((int) Math.max(totalBytes, Math.min(Integer.MAX_VALUE - 16,
                2L * scratch.capacity()))).order(ByteOrder.LITTLE_ENDIAN);
        }
        final ByteBuffer b = scratch.clear();
        b.putInt((int) bodyBytes).putInt(0); // the CRC goes in once the body is there
        b.putInt(kv.key().length).put(kv.key()).putInt(kv.value().length).put(kv.value())
            .putLong(kv.createRevision()).putLong(kv.modRevision()).putLong(kv.version());
        entryCrc.reset();
        entryCrc.update(b.array(), CheckpointFormat.ENTRY_FRAME_BYTES, (int) bodyBytes);
        b.putInt(4, (int) entryCrc.getValue());
        out.write(b.array(), 0, (int) totalBytes);
    }

    /** Checksums everything written through it (the trailer's whole-file CRC). */
    private static final class CrcOutputStream extends OutputStream {
        final CRC32C crc = new CRC32C();
        private final OutputStream out;

        CrcOutputStream(final OutputStream out) {
            this.out = out;
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

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}

package io.duetdb.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The design's starting point, kept as a baseline: every op is one checksummed record, written
 * and fdatasynced on its own, one op at a time, appended to a growing (not preallocated) file.
 */
final class NaiveLog implements AutoCloseable {
    private final FileChannel channel;
    private long position;

    NaiveLog(final Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    }

    synchronized void append(final byte[] key, final byte[] value) throws IOException {
        final ByteBuffer record = ByteBuffer.allocate(16 + key.length + value.length);
        record.putInt(key.length).putInt(value.length).put(key).put(value);
        final CRC32C crc = new CRC32C();
        crc.update(record.array(), 0, 8 + key.length + value.length);
        record.putLong(crc.getValue()).flip();
        while (record.hasRemaining()) {
            position += channel.write(record, position);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

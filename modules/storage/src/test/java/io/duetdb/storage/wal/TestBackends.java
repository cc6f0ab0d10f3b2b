package io.duetdb.storage.wal;

import io.duetdb.storage.io.IoBackend;
import io.duetdb.storage.io.IoBackends;
import io.duetdb.storage.io.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Shared helpers for WAL tests: backends by name and small logs. */
final class TestBackends {
    /** Every backend the I/O tests run on. */
    static final String[] NAMES = {"io_uring", "filechannel"};

    static final WalOptions SMALL = new WalOptions(256 * 1024, 64 * 1024, 8 * 1024, SyncPolicy.EVERY_WRITE);

    private TestBackends() {
    }

    static IoBackend create(final String name, final String logName) throws IOException {
        return new IoBackends(IoMode.parse(name)).create(logName);
    }

    static Wal open(final Path dir, final String backend) throws IOException {
        return open(dir, backend, SMALL);
    }

    static Wal open(final Path dir, final String backend, final WalOptions options) throws IOException {
        return Wal.open(dir, WalKind.INTENT, options, create(backend, "intent"), 1);
    }

    static ByteBuffer body(final long index, final int size) {
        final byte[] bytes = new byte[size];
        final byte[] label = ("record-" + index + "-").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            bytes[i] = label[i % label.length];
        }
        return ByteBuffer.wrap(bytes);
    }

    static byte[] bodyBytes(final long index, final int size) {
        return body(index, size).array();
    }
}

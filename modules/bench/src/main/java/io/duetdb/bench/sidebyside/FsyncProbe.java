package io.duetdb.bench.sidebyside;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fdatasync floor of the disk right now: appends of 4 KiB, each followed by fdatasync, one at
 * a time (what {@code dd bs=4k oflag=dsync} measures). The shared disk's floor moves several-fold
 * within minutes, so runs record it before and after.
 */
final class FsyncProbe {
    static final int WRITE_BYTES = 4096;

    private FsyncProbe() {
    }

    /** Mean milliseconds per durable 4 KiB append over {@code writes} appends in {@code dir}. */
    static double meanMs(final Path dir, final int writes) throws IOException {
        Files.createDirectories(dir);
        final Path file = dir.resolve("fsync-probe.tmp");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            final ByteBuffer block = ByteBuffer.allocateDirect(WRITE_BYTES);
            final long startNs = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                block.clear();
                while (block.hasRemaining()) {
                    ch.write(block);
                }
                ch.force(false);
            }
            return (System.nanoTime() - startNs) / 1e6 / writes;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}

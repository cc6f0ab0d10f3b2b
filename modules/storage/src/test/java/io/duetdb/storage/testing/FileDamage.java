package io.duetdb.storage.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Damages files on purpose, the ways disks and operators do: a flipped bit, a zeroed block, a cut. */
public final class FileDamage {
    private FileDamage() {
    }

    /** Flips one bit; calling it twice restores the file. */
    public static void flipBit(final Path file, final long bitPosition) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(bitPosition / 8);
            final int b = raf.read();
            raf.seek(bitPosition / 8);
            raf.write(b ^ (1 << (bitPosition % 8)));
        }
    }

    /** Overwrites {@code length} bytes at {@code offset} with zeros. */
    public static void zero(final Path file, final long offset, final int length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.getChannel().write(ByteBuffer.allocate(length), offset);
        }
    }

    /** Cuts the file to {@code length} bytes. */
    public static void truncate(final Path file, final long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }
}

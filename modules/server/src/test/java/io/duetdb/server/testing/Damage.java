package io.duetdb.server.testing;

import io.duetdb.storage.wal.WalKind;
import io.duetdb.storage.wal.WalScanner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Damages a stopped node's WAL files the ways the repair tests need. */
public final class Damage {
    private static final int MAX_BODY = 64 * 1024 * 1024;

    /** A record's place on disk. */
    public record Placed(Path file, int offset, int length, long index) {
    }

    private Damage() {
    }

    public static List<Placed> records(final Path walDir, final WalKind kind) throws IOException {
        final List<Placed> placed = new ArrayList<>();
        WalScanner.scan(walDir, kind, MAX_BODY, (file, offset, type, flags, term, index, body, length) ->
            placed.add(new Placed(file, offset, length, index)));
        return placed;
    }

    public static List<Path> segments(final Path walDir) throws IOException {
        try (Stream<Path> s = Files.list(walDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
        }
    }

    /** Flips one bit inside the body of each given record. */
    public static void flipBits(final List<Placed> records) throws IOException {
        for (final Placed r : records) {
            try (RandomAccessFile f = new RandomAccessFile(r.file().toFile(), "rw")) {
                final long at = r.offset() + 32 + (r.length() - 32) / 2;
                f.seek(at);
                final int b = f.read();
                f.seek(at);
                f.write(b ^ 0x10);
            }
        }
    }

    /** Cuts a file at {@code length} bytes. */
    public static void truncate(final Path file, final long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }
}

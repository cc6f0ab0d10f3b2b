package io.duetdb.deploy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a pod sees of its node's data directory before the node starts: whether it holds any state,
 * and the start-mode marker ({@value #MARKER}) the launcher keeps inside it. The marker lives in the
 * data directory on purpose: wiping the data wipes the marker, so a wiped member decides afresh.
 */
final class DataDir {
    static final String MARKER = "k8s-start-mode";

    /** Not node state: the marker and its temporary file, and what mkfs leaves at a volume's root. */
    private static final Set<String> NOT_STATE = Set.of(MARKER, MARKER + ".tmp", "lost+found");

    /** A marker is one short word; anything longer is not ours. */
    private static final int MARKER_MAX_BYTES = 64;

    private DataDir() {
    }

    /** Whether {@code dir} holds anything a node wrote (false when it does not exist). */
    static boolean holdsState(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> !NOT_STATE.contains(p.getFileName().toString()));
        }
    }

    /**
     * The mode recorded in {@code dir}, if a marker is there.
     *
     * @throws IOException when the marker exists but holds something else than a mode: the launcher
     *     will not guess how a node with unknown history should start
     */
    static Optional<StartMode> readMarker(final Path dir) throws IOException {
        final byte[] bytes;
        try {
            if (Files.size(dir.resolve(MARKER)) > MARKER_MAX_BYTES) {
                throw new IOException(dir.resolve(MARKER) + " is not a start-mode marker (too long)");
            }
            bytes = Files.readAllBytes(dir.resolve(MARKER));
        } catch (final NoSuchFileException e) {
            return Optional.empty();
        }
        final String text = new String(bytes, StandardCharsets.US_ASCII);
        final Optional<StartMode> mode = StartMode.ofCode(text);
        if (mode.isEmpty()) {
            throw new IOException(dir.resolve(MARKER) + " holds '" + text.strip() + "', not one of 'initial', 'join'");
        }
        return mode;
    }

    /** Records {@code mode} durably: temporary file, fsync, rename, fsync of the directory. */
    static void writeMarker(final Path dir, final StartMode mode) throws IOException {
        Files.createDirectories(dir);
        final Path tmp = dir.resolve(MARKER + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            final ByteBuffer buf = ByteBuffer.wrap((mode.code + "\n").getBytes(StandardCharsets.US_ASCII));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}

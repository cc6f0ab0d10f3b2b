package io.duetdb.storage.checkpoint;

import io.duetdb.storage.io.DirectorySync;
import io.duetdb.storage.table.KvTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one directory. A checkpoint is the whole table in one checksummed file named
 * {@code checkpoint-<index, 20 digits>-<term>.ckpt}. Writing is atomic (temp file, fsync, atomic
 * rename, directory fsync), so a crash leaves either the old set or the old set plus the new file;
 * leftover temp files are deleted when the store opens. The newest {@code retain} are kept.
 * Loading verifies every byte and never silently uses an older checkpoint when the newest is
 * damaged, unless asked to.
 *
 * <p>File format, version 1. Integers little-endian, checksums CRC32C; also in
 * docs/checkpoint-format.md.
 * <pre>
 * header, 48 bytes
 *   offset size field
 *        0    8 magic "DUETCKPT"
 *        8    4 u32 format version (1)
 *       12    8 i64 index: the table is as of this Raft index
 *       20    8 i64 term of that index
 *       28    8 i64 entry count
 *       36    8 i64 created at, ms since the Unix epoch (informational)
 *       44    4 u32 CRC32C of bytes 0..43
 * entries, entry count of them, in strictly ascending unsigned key order, each:
 *        0    4 u32 body length L (33 or more)
 *        4    4 u32 CRC32C of the body
 *        8    L body:
 *                 u32 key length K (1 or more), K bytes key,
 *                 u32 value length V (= L - 32 - K), V bytes value,
 *                 i64 createRevision, i64 modRevision (at most the index), i64 version
 * trailer, 20 bytes
 *        0    8 magic "CKPTEND\0"
 *        8    8 i64 entry count (again)
 *       16    4 u32 CRC32C of every byte of the file before this field
 * nothing after the trailer
 * </pre>
 *
 * <p>Thread-safe: methods are synchronized. The caller keeps the table's applier away while
 * {@link #write} runs, so the file is one consistent revision.
 */
public final class CheckpointStore {
    /** Checkpoints kept by default. */
    public static final int DEFAULT_RETAIN = 3;
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    /** Newest first: higher index, then higher term. */
    private static final Comparator<CheckpointInfo> NEWEST_FIRST = Comparator.comparingLong(CheckpointInfo::index)
        .thenComparingLong(CheckpointInfo::term).reversed();

    private final Path dir;
    private final int retain;

    /** Opens (creating it if needed) a store that keeps {@value #DEFAULT_RETAIN} checkpoints. */
    public CheckpointStore(final Path dir) throws IOException {
        this(dir, DEFAULT_RETAIN);
    }

    /**
     * Opens (creating it if needed) a store that keeps the newest {@code retain} checkpoints, and
     * deletes temp files a crash left behind.
     */
    public CheckpointStore(final Path dir, final int retain) throws IOException {
        if (dir == null || retain < 1) {
            throw new IllegalArgumentException("dir=" + dir + " retain=" + retain + ": need a directory and retain >= 1");
        }
        this.dir = dir;
        this.retain = retain;
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path p : files.filter(p -> CheckpointFormat.isTempName(p.getFileName().toString())).toList()) {
                LOG.info("deleting {}, a checkpoint left unfinished by a crash", p);
                Files.deleteIfExists(p);
            }
        }
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    /**
     * Writes {@code table} as the checkpoint at {@code index} (its last applied revision, or a
     * later index whose entries did not change the table), publishes it atomically and then
     * deletes all but the newest {@code retain} checkpoints.
     */
    public synchronized CheckpointInfo write(final KvTable table, final long index, final long term)
        throws IOException {
        if (table == null || index < table.lastAppliedRevision() || term < 0) {
            throw new IllegalArgumentException("index=" + index + " term=" + term + " lastAppliedRevision="
                + (table == null ? "no table" : table.lastAppliedRevision())
                + ": need a table, index >= its last applied revision, term >= 0");
        }
        final Path target = dir.resolve(CheckpointFormat.fileName(index, term));
        final Path temp = dir.resolve(target.getFileName() + CheckpointFormat.TEMP_SUFFIX);
        final long entries;
        try {
            entries = CheckpointWriter.write(temp, table, index, term, System.currentTimeMillis());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            DirectorySync.sync(dir); // makes the rename itself durable
        } catch (final IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (final IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        prune();
        return new CheckpointInfo(target, index, term, entries, Files.size(target));
    }

    /** Every checkpoint in the directory, newest first; entry counts from headers (-1 if damaged). */
    public synchronized List<CheckpointInfo> list() throws IOException {
        final List<CheckpointInfo> found = new ArrayList<>();
        for (final CheckpointInfo named : listByName()) {
            long entryCount = -1;
            try {
                entryCount = CheckpointReader.readHeader(named.file())[2];
            } catch (final CorruptCheckpointException e) {
                LOG.debug("listing a checkpoint whose header does not verify: {}", e.getMessage());
            }
            found.add(new CheckpointInfo(named.file(), named.index(), named.term(), entryCount, named.sizeBytes()));
        }
        return found;
    }

    /**
     * Loads the newest checkpoint, verified.
     *
     * @return empty when there is no checkpoint
     * @throws CorruptCheckpointException when the newest checkpoint is damaged
     */
    public Optional<LoadedCheckpoint> loadLatest() throws IOException {
        return loadLatest(false);
    }

    /**
     * Loads the newest checkpoint that verifies. Without {@code allowFallback}, a damaged newest
     * checkpoint is an error: an older one is a step back in time that the caller must choose
     * knowingly (it needs the logs from that older index). With it, each damaged one is logged at
     * WARN with its location and the next older one is tried.
     *
     * @return empty when there is no checkpoint
     * @throws CorruptCheckpointException for the newest checkpoint when none verifies (the others'
     *     failures suppressed), or when the newest is damaged and fallback is not allowed
     */
    public synchronized Optional<LoadedCheckpoint> loadLatest(final boolean allowFallback) throws IOException {
        CorruptCheckpointException newestFailure = null;
        for (final CheckpointInfo candidate : listByName()) {
            try {
                return Optional.of(CheckpointReader.read(candidate.file()));
            } catch (final CorruptCheckpointException e) {
                if (!allowFallback) {
                    throw e;
                }
                LOG.warn("{}; falling back to the next older checkpoint", e.getMessage());
                if (newestFailure == null) {
                    newestFailure = e;
                } else {
                    newestFailure.addSuppressed(e);
                }
            }
        }
        if (newestFailure != null) {
            throw newestFailure;
        }
        return Optional.empty();
    }

    /** Loads and verifies one checkpoint file. */
    public static LoadedCheckpoint load(final Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file=null");
        }
        return CheckpointReader.read(file);
    }

    private List<CheckpointInfo> listByName() throws IOException {
        final List<CheckpointInfo> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path p : files.toList()) {
                final long[] parsed = CheckpointFormat.parseName(p.getFileName().toString());
                if (parsed != null && Files.isRegularFile(p)) {
                    found.add(new CheckpointInfo(p, parsed[0], parsed[1], -1, Files.size(p)));
                }
            }
        }
        found.sort(NEWEST_FIRST);
        return found;
    }

    /** Deletes all but the newest {@code retain}. A failure here is logged: the new checkpoint stands. */
    private void prune() {
        try {
            final List<CheckpointInfo> all = listByName();
            if (all.size() <= retain) {
                return;
            }
            for (final CheckpointInfo old : all.subList(retain, all.size())) {
                Files.deleteIfExists(old.file());
                LOG.debug("deleted old checkpoint {}", old.file());
            }
            DirectorySync.sync(dir);
        } catch (final IOException e) {
            LOG.warn("could not delete old checkpoints in {}: {}", dir, e.toString());
        }
    }

}

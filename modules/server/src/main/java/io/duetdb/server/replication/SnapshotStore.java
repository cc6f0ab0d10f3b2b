package io.duetdb.server.replication;

import io.duetdb.storage.checkpoint.CheckpointInfo;
import io.duetdb.storage.checkpoint.CheckpointStore;
import io.duetdb.storage.checkpoint.CorruptCheckpointException;
import io.duetdb.storage.checkpoint.LoadedCheckpoint;
import io.duetdb.storage.io.AtomicFile;
import io.duetdb.storage.io.DirectorySync;
import io.duetdb.storage.table.KvTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Raft snapshot of a Duet node: an engine checkpoint ({@link CheckpointStore}) plus the session
 * table of the same index, two files in one directory. This is also Ratis's snapshot directory:
 * Ratis ships both files to a follower that is too far behind and swaps the follower's directory
 * for them, then calls {@code reinitialize}.
 *
 * <p>Sessions file {@code sessions-<index, 20 digits>-<term>.bin}: {@code "DSES"}, i32 format 1,
 * i64 index, i64 term, the {@link SessionTable}, then the CRC32C of everything before it (i32).
 * It is written (fsync, rename, directory fsync) before the checkpoint, so a checkpoint never
 * exists without its sessions.
 */
public final class SnapshotStore implements StateMachineStorage {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final int MAGIC = 0x44534553; // "DSES"
    private static final int FORMAT = 1;
    private static final Pattern SESSIONS_NAME = Pattern.compile("sessions-(\\d{20})-(\\d{1,19})\\.bin");
    /** Snapshots kept: the newest and two before it. */
    public static final int RETAIN = 3;

    private final Path dir;
    private final Path tmpDir;
    private volatile FileListSnapshotInfo latest;

    /** A loaded snapshot. */
    public record Loaded(KvTable table, SessionTable sessions, long index, long term) {
    }

    public SnapshotStore(final Path dir, final Path tmpDir) {
        // Absolute, because the leader names each file it ships relative to its Raft directory only
        // when the path is absolute; a relative one (a relative --data-dir) reaches the follower
        // as "../..." and every snapshot install fails ("not an ancestor of the full path").
        this.dir = dir.toAbsolutePath().normalize();
        this.tmpDir = tmpDir.toAbsolutePath().normalize();
    }

    private CheckpointStore checkpoints() throws IOException {
        // Not kept: Ratis replaces the whole directory when it installs a snapshot.
        return new CheckpointStore(dir, RETAIN);
    }

    /**
     * Loads the newest snapshot, or empty when there is none.
     *
     * @throws CorruptCheckpointException when the newest snapshot is damaged: the Raft log was
     *     purged up to it, so an older one cannot be completed locally
     */
    public Optional<Loaded> loadLatest() throws IOException {
        Files.createDirectories(dir);
        final Optional<LoadedCheckpoint> loaded = checkpoints().loadLatest(false);
        if (loaded.isEmpty()) {
            latest = null;
            return Optional.empty();
        }
        final CheckpointInfo info = loaded.get().info();
        final Path sessionsFile = sessionsFile(info.index(), info.term());
        if (!Files.exists(sessionsFile)) {
            throw new CorruptCheckpointException(sessionsFile, 0, "the sessions file of checkpoint "
                + info.file().getFileName() + " is missing");
        }
        final SessionTable sessions = readSessions(sessionsFile, info.index(), info.term());
        latest = snapshotInfo(info.file(), sessionsFile, info.index(), info.term());
        return Optional.of(new Loaded(loaded.get().table(), sessions, info.index(), info.term()));
    }

    /**
     * Moves the newest snapshots that do not verify (checkpoint or sessions file damaged or
     * missing) to {@code quarantine}, newest first, until one verifies or none is left. Run before
     * {@link #loadLatest}: the member then starts from the older state, and its Raft log check
     * sees the older snapshot index (and so sets aside a log that no longer joins it).
     *
     * @return what was wrong with each one set aside (file, offset), empty when the newest verifies
     */
    public static List<String> setAsideDamaged(final Path dir, final Path quarantine) throws IOException {
        final List<String> findings = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return findings;
        }
        for (final CheckpointInfo info : new CheckpointStore(dir, RETAIN).list()) {
            final Path sessions = dir.resolve(String.format("sessions-%020d-%d.bin", info.index(), info.term()));
            String problem = null;
            try {
                CheckpointStore.load(info.file());
                if (!Files.exists(sessions)) {
                    problem = sessions + " is missing";
                } else {
                    readSessions(sessions, info.index(), info.term());
                }
            } catch (final IOException | RuntimeException e) {
                problem = e.getMessage();
            }
            if (problem == null) {
                break;
            }
            findings.add("snapshot at index " + info.index() + ": " + problem);
            Files.createDirectories(quarantine);
            Files.move(info.file(), quarantine.resolve(info.file().getFileName()));
            if (Files.exists(sessions)) {
                Files.move(sessions, quarantine.resolve(sessions.getFileName()));
            }
            DirectorySync.sync(quarantine);
            DirectorySync.sync(dir);
        }
        return findings;
    }

    /** Writes a snapshot of {@code table} and {@code sessions} at (term, index). */
    public void write(final KvTable table, final SessionTable sessions, final long index, final long term)
        throws IOException {
        Files.createDirectories(dir);
        final Path sessionsFile = sessionsFile(index, term);
        writeSessions(sessionsFile, sessions, index, term);
        final CheckpointInfo info = checkpoints().write(table, index, term);
        latest = snapshotInfo(info.file(), sessionsFile, index, term);
        deleteOrphanSessions();
    }

    private static FileListSnapshotInfo snapshotInfo(final Path checkpoint, final Path sessions, final long index,
                                                     final long term) {
        // No digest given: Ratis computes an MD5 while it ships each file and checks it on arrival.
        return new FileListSnapshotInfo(List.of(new FileInfo(checkpoint, null), new FileInfo(sessions, null)),
            term, index);
    }

    private Path sessionsFile(final long index, final long term) {
        return dir.resolve(String.format("sessions-%020d-%d.bin", index, term));
    }

    private static void writeSessions(final Path file, final SessionTable sessions, final long index,
                                      final long term) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(index);
            out.writeLong(term);
            sessions.writeTo(out);
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        final ByteBuffer content = ByteBuffer.allocate(bytes.size() + Integer.BYTES);
        content.put(bytes.toByteArray()).putInt((int) crc.getValue()).flip();
        AtomicFile.write(file, content);
    }

    private static SessionTable readSessions(final Path file, final long index, final long term) throws IOException {
        final byte[] all = Files.readAllBytes(file);
        if (all.length < 24 + Integer.BYTES) {
            throw new CorruptCheckpointException(file, 0, "sessions file of " + all.length + " bytes is too short");
        }
        final CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - Integer.BYTES);
        final int stored = ByteBuffer.wrap(all, all.length - Integer.BYTES, Integer.BYTES).getInt();
        if (stored != (int) crc.getValue()) {
            throw new CorruptCheckpointException(file, all.length - Integer.BYTES, "sessions file CRC32C mismatch");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - Integer.BYTES))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || in.readLong() != index || in.readLong() != term) {
                throw new CorruptCheckpointException(file, 0, "not a format-" + FORMAT + " sessions file for index "
                    + index + " term " + term);
            }
            return SessionTable.readFrom(in);
        }
    }

    /** Deletes sessions files whose checkpoint is gone (pruned). */
    private void deleteOrphanSessions() throws IOException {
        final List<CheckpointInfo> kept = checkpoints().list();
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path p : files.toList()) {
                final Matcher m = SESSIONS_NAME.matcher(p.getFileName().toString());
                if (m.matches() && kept.stream().noneMatch(c -> c.index() == Long.parseLong(m.group(1))
                    && c.term() == Long.parseLong(m.group(2)))) {
                    Files.deleteIfExists(p);
                    LOG.debug("deleted sessions file {} (its checkpoint was pruned)", p);
                }
            }
        }
    }

    @Override
    public void init(final RaftStorage raftStorage) {
        // Nothing to do: the directory is Duet's, outside Ratis's storage directory.
    }

    @Override
    public FileListSnapshotInfo getLatestSnapshot() {
        return latest;
    }

    @Override
    public void format() {
        // A new node starts with an empty directory; nothing to format.
    }

    @Override
    public void cleanupOldSnapshots(final SnapshotRetentionPolicy policy) {
        // CheckpointStore keeps RETAIN checkpoints; write() prunes their sessions files.
    }

    @Override
    public File getSnapshotDir() {
        return dir.toFile();
    }

    @Override
    public File getTmpDir() {
        return tmpDir.toFile();
    }
}

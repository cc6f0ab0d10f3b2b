package io.duetdb.server.recovery;

import io.duetdb.server.replication.SnapshotStore;
import io.duetdb.storage.checkpoint.CheckpointInfo;
import io.duetdb.storage.checkpoint.CheckpointStore;
import io.duetdb.storage.io.AtomicFile;
import io.duetdb.storage.io.DirectorySync;
import io.duetdb.storage.wal.ScanReport;
import io.duetdb.storage.wal.WalKind;
import io.duetdb.storage.wal.WalScanner;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RaftLogCheck} on a member's data directory before Ratis opens it, and carries out the
 * verdict: first the {@link VoteGuard} is closed (durably), then the damaged or unusable files are
 * moved to {@code quarantine/raft-<ms>/} in the data directory (kept as evidence, never deleted).
 * Newest snapshots that do not verify are moved there first, so the member starts from the newest
 * one that does (or from nothing), and the log check judges the log against that one.
 *
 * <p>Only for a member with replicas to catch up from: a single member that set its log aside
 * would lose what only it holds, so it refuses to start instead (Ratis's and the snapshot's own
 * checks).
 * Ratis then starts on what is left: a log that verifies and joins the snapshot, and catches up
 * from the leader (by entries, or by a snapshot once the leader has purged them).
 */
public final class RaftStartupCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RaftStartupCheck.class);
    static final String META_FILE = "raft-meta";

    private RaftStartupCheck() {
    }

    /**
     * @param dataDir the member's data directory ({@code raft/}, {@code snapshot/}, {@code completion/})
     * @param groupUuid the Raft group's id, the name of its directory under {@code raft/}
     * @param completionMaxBodyBytes the completion log's record limit, to scan it
     * @param intentMaxBodyBytes the intent log's record limit, to scan it for the {@link VoteFloor}
     * @return what was decided (clean when nothing was wrong)
     */
    public static RaftLogCheck.Verdict run(final Path dataDir, final String groupUuid, final int completionMaxBodyBytes,
                                           final int intentMaxBodyBytes, final VoteGuard guard) throws IOException {
        final Path current = dataDir.resolve("raft").resolve(groupUuid).resolve("current");
        if (!Files.isDirectory(current)) {
            return RaftLogCheck.Verdict.none(); // a new member: nothing to check
        }
        final Path quarantine = dataDir.resolve("quarantine").resolve("raft-" + System.currentTimeMillis());
        final List<String> snapshotFindings = SnapshotStore.setAsideDamaged(dataDir.resolve("snapshot"), quarantine);
        for (final String finding : snapshotFindings) {
            LOG.warn("Raft storage: {}; moved aside to {}", finding, quarantine);
        }
        final RaftLogCheck.Verdict verdict = carryOut(dataDir, current, quarantine, completionMaxBodyBytes,
            intentMaxBodyBytes, guard);
        guard.startChecked();
        return verdict.withFindingsBefore(snapshotFindings);
    }

    private static RaftLogCheck.Verdict carryOut(final Path dataDir, final Path current, final Path quarantine,
                                                 final int completionMaxBodyBytes, final int intentMaxBodyBytes,
                                                 final VoteGuard guard) throws IOException {
        final CheckpointInfo snapshot = newestSnapshot(dataDir);
        final List<RaftSegmentScan> segments = segments(current);
        final RaftLogCheck.Inputs inputs = new RaftLogCheck.Inputs(segments,
            snapshot == null ? -1 : snapshot.index(), snapshot == null ? -1 : snapshot.term(),
            completionLastIndex(dataDir, completionMaxBodyBytes), metaState(current.resolve(META_FILE)),
            metaTerm(current.resolve(META_FILE)), current.resolve(META_FILE));
        final RaftLogCheck.Verdict verdict = RaftLogCheck.decide(inputs);
        if (verdict.clean()) {
            return verdict;
        }
        for (final String finding : verdict.findings()) {
            LOG.warn("Raft storage: {}", finding);
        }
        final VoteFloor floor = verdict.voteGuardReason() == null || verdict.restoreMetaTerm() >= 0 ? null
            : voteFloor(dataDir, intentMaxBodyBytes, snapshot, segments, inputs.completionLastIndex());
        if (verdict.voteGuardReason() != null) {
            LOG.warn("Raft storage: {}", floor == null ? "this member votes for no one until it has caught up"
                : "this member votes only for candidates whose log reaches what its intent log shows it held: " + floor);
        }
        if (verdict.voteGuardReason() != null && !guard.close(verdict.voteGuardReason(), floor)) {
            LOG.warn("Raft storage: the vote guard stays open although {}: an operator cleared it "
                + "(duetctl vote-guard clear)", verdict.voteGuardReason());
        }
        if (!verdict.setAside().isEmpty()) {
            Files.createDirectories(quarantine);
            for (final Path file : verdict.setAside()) {
                Files.move(file, quarantine.resolve(file.getFileName()));
            }
            DirectorySync.sync(quarantine);
            DirectorySync.sync(current);
            LOG.warn("Raft storage: moved {} aside to {}; Ratis starts on a log ending at index {} and catches up "
                + "from the leader", verdict.setAside().stream().map(p -> p.getFileName().toString()).toList(),
                quarantine, verdict.logLastIndex());
        }
        if (verdict.restoreMetaTerm() >= 0) {
            writeMeta(current.resolve(META_FILE), verdict.restoreMetaTerm());
            LOG.warn("Raft storage: wrote a fresh {} at term {} with no vote (the vote guard keeps this member "
                + "from voting until it has caught up)", META_FILE, verdict.restoreMetaTerm());
        }
        return verdict;
    }

    /**
     * What this member held before the damage, from its intent log (fsynced before Ratis
     * acknowledges an entry): the highest (term, index) of its records, the snapshot's and the
     * completion log's. Null, so no votes at all, when the intent log cannot vouch for it: damaged,
     * absent, or ending below an index the Raft log, or the completion log, shows was there.
     */
    static VoteFloor voteFloor(final Path dataDir, final int intentMaxBodyBytes, final CheckpointInfo snapshot,
                               final List<RaftSegmentScan> segments, final long completionLastIndex)
        throws IOException {
        final Path dir = dataDir.resolve(WalKind.INTENT.dirName());
        if (!Files.isDirectory(dir)) {
            return null;
        }
        final long[] highest = {snapshot == null ? 0 : snapshot.term(), snapshot == null ? 0 : snapshot.index()};
        final ScanReport intents = WalScanner.scan(dir, WalKind.INTENT, intentMaxBodyBytes,
            (file, offset, type, flags, term, index, body, length) -> {
                if (term > highest[0] || (term == highest[0] && index > highest[1])) {
                    highest[0] = term;
                    highest[1] = index;
                }
            });
        final long raftHeld = segments.stream().mapToLong(RaftSegmentScan::lastGoodIndex).max().orElse(-1);
        if (!intents.corruptions().isEmpty() || highest[1] < Math.max(raftHeld, completionLastIndex)) {
            LOG.warn("Raft storage: the intent log ({} damaged places, last index {}) cannot vouch for what this "
                + "member held (Raft log to {}, applied to {})", intents.corruptions().size(), highest[1], raftHeld,
                completionLastIndex);
            return null;
        }
        return new VoteFloor(highest[0], highest[1]);
    }

    /** Ratis's metadata file, in Ratis's format (a properties file): Ratis will not open a directory without it. */
    private static void writeMeta(final Path file, final long term) throws IOException {
        final String text = "#written by Duet's Raft startup check\nvotedFor=\nterm=" + term + "\n";
        AtomicFile.write(file, ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static List<RaftSegmentScan> segments(final Path current) throws IOException {
        final List<RaftSegmentScan> scans = new ArrayList<>();
        try (Stream<Path> files = Files.list(current)) {
            for (final Path file : files.filter(f -> RaftSegmentScan.isSegmentName(f.getFileName().toString())).toList()) {
                scans.add(RaftSegmentScan.scan(file));
            }
        }
        return scans;
    }

    private static CheckpointInfo newestSnapshot(final Path dataDir) throws IOException {
        final Path dir = dataDir.resolve("snapshot");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        return new CheckpointStore(dir).list().stream().max(Comparator.comparingLong(CheckpointInfo::index))
            .orElse(null);
    }

    private static long completionLastIndex(final Path dataDir, final int maxBodyBytes) throws IOException {
        final Path dir = dataDir.resolve("completion");
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        return WalScanner.scan(dir, WalKind.COMPLETION, maxBodyBytes, (f, o, t, fl, term, i, body, len) -> { })
            .lastIndex();
    }

    private static RaftLogCheck.MetaState metaState(final Path file) {
        if (!Files.exists(file)) {
            return RaftLogCheck.MetaState.MISSING;
        }
        return metaTerm(file) >= 0 ? RaftLogCheck.MetaState.PRESENT : RaftLogCheck.MetaState.UNREADABLE;
    }

    /** The term in Ratis's metadata file (a properties file: term, votedFor), or -1 when it cannot be read. */
    private static long metaTerm(final Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            final Properties properties = new Properties();
            properties.load(reader);
            final String term = properties.getProperty("term");
            if (term == null || properties.getProperty("votedFor") == null) {
                return -1;
            }
            final long parsed = Long.parseLong(term.strip());
            return parsed >= 0 ? parsed : -1;
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
    }
}

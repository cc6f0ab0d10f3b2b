package io.duetdb.server.recovery;

import io.duetdb.server.replication.SnapshotStore;
import io.duetdb.storage.checkpoint.CheckpointInfo;
import io.duetdb.storage.checkpoint.CheckpointStore;
import io.duetdb.storage.io.DirectorySync;
import io.duetdb.storage.wal.WalKind;
import io.duetdb.storage.wal.WalScanner;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
     * @return what was decided (clean when nothing was wrong)
     */
    public static RaftLogCheck.Verdict run(final Path dataDir, final String groupUuid, final int completionMaxBodyBytes,
                                           final VoteGuard guard) throws IOException {
        final Path current = dataDir.resolve("raft").resolve(groupUuid).resolve("current");
        if (!Files.isDirectory(current)) {
            return RaftLogCheck.Verdict.none(); // a new member: nothing to check
        }
        final Path quarantine = dataDir.resolve("quarantine").resolve("raft-" + System.currentTimeMillis());
        final List<String> snapshotFindings = SnapshotStore.setAsideDamaged(dataDir.resolve("snapshot"), quarantine);
        for (final String finding : snapshotFindings) {
            LOG.warn("Raft storage: {}; moved aside to {}", finding, quarantine);
        }
        final RaftLogCheck.Verdict verdict = carryOut(dataDir, current, quarantine, completionMaxBodyBytes, guard);
        guard.startChecked();
        if (snapshotFindings.isEmpty()) {
            return verdict;
        }
        final List<String> findings = new ArrayList<>(snapshotFindings);
        findings.addAll(verdict.findings());
        return new RaftLogCheck.Verdict(verdict.setAside(), findings, verdict.voteGuardReason(), verdict.logLastIndex());
    }

    private static RaftLogCheck.Verdict carryOut(final Path dataDir, final Path current, final Path quarantine,
                                                 final int completionMaxBodyBytes, final VoteGuard guard)
        throws IOException {
        final RaftLogCheck.Inputs inputs = new RaftLogCheck.Inputs(segments(current), snapshotIndex(dataDir),
            completionLastIndex(dataDir, completionMaxBodyBytes), metaState(current.resolve(META_FILE)),
            metaTerm(current.resolve(META_FILE)), current.resolve(META_FILE));
        final RaftLogCheck.Verdict verdict = RaftLogCheck.decide(inputs);
        if (verdict.clean()) {
            return verdict;
        }
        for (final String finding : verdict.findings()) {
            LOG.warn("Raft storage: {}", finding);
        }
        if (verdict.voteGuardReason() != null && !guard.close(verdict.voteGuardReason())) {
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
        return verdict;
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

    private static long snapshotIndex(final Path dataDir) throws IOException {
        final Path dir = dataDir.resolve("snapshot");
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        return new CheckpointStore(dir).list().stream().mapToLong(CheckpointInfo::index).max().orElse(-1);
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

package io.duetdb.server.recovery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The decision, before Ratis starts, over what a member's Raft log and Raft metadata still hold.
 * Pure: it looks at scans and indexes and says what to set aside and whether the member may have
 * lost entries it acknowledged. {@link RaftStartupCheck} gathers the inputs and carries it out.
 *
 * <p>The rule, one row per finding (docs/recovery.md#raft-log):
 * <ul>
 *   <li>a segment that does not verify, or a gap between segments: that segment and every later
 *       one are set aside; if it lies wholly at or below the snapshot, only it and the ones before
 *       it are (the snapshot covers them);</li>
 *   <li>a first segment that starts after the snapshot's next index: every segment is set aside;</li>
 *   <li>a log that, after that, ends below the snapshot index: what is left is set aside too
 *       (Ratis would stall on it: "End log index is smaller than last index in snapshot"), and
 *       what followed the snapshot counts as lost (a healthy log always reaches its snapshot);</li>
 *   <li>a log (or, with none, the snapshot) that ends below the last applied entry the completion
 *       log recorded: entries were lost though no file shows damage (a cut at an entry boundary,
 *       a deleted last segment). Ratis commits on a follower only up to its fsynced log, so a
 *       healthy member never applied past its log's end;</li>
 *   <li>Raft metadata (term and vote) missing while the log or a snapshot exists, unreadable, or
 *       holding a term below the log's last entry's (or the snapshot's): it is set aside and a fresh
 *       one written at the highest term still known, with no vote.</li>
 * </ul>
 * Whenever anything above the snapshot index may be lost, or the vote was lost, the member must
 * not vote (nor stand) until it has caught up with a leader: {@link Verdict#voteGuardReason}.
 */
public final class RaftLogCheck {
    private RaftLogCheck() {
    }

    /** What Raft's metadata file ({@code raft-meta}: term and vote) holds. */
    public enum MetaState { PRESENT, MISSING, UNREADABLE }

    /**
     * @param snapshotTerm the term of the snapshot at {@code snapshotIndex}; -1 without one
     * @param metaTerm the term in the metadata file; -1 unless {@code meta} is PRESENT
     */
    public record Inputs(List<RaftSegmentScan> segments, long snapshotIndex, long snapshotTerm,
                         long completionLastIndex, MetaState meta, long metaTerm, Path metaFile) {
    }

    /**
     * @param setAside files to move out of Ratis's reach (kept as evidence, never deleted)
     * @param findings what was found, one line each (file, offset, index)
     * @param voteGuardReason why the member must not vote until caught up, or null when it may
     * @param logLastIndex the last index Ratis's log will hold once the files are set aside (-1: none)
     * @param restoreMetaTerm the term to write a fresh metadata file at, with no vote, when the old one
     *     was lost or set aside (Ratis will not open a directory without one); -1: leave it alone
     */
    public record Verdict(List<Path> setAside, List<String> findings, String voteGuardReason, long logLastIndex,
                          long restoreMetaTerm) {
        public Verdict {
            if (restoreMetaTerm >= 0 && voteGuardReason == null) {
                throw new IllegalArgumentException("a restored term and vote without the vote guard closed");
            }
        }

        /** Nothing checked, nothing found. */
        public static Verdict none() {
            return new Verdict(List.of(), List.of(), null, -1, -1);
        }

        /** This verdict with earlier findings (the snapshots') before its own. */
        public Verdict withFindingsBefore(final List<String> earlier) {
            final List<String> all = new ArrayList<>(earlier);
            all.addAll(findings);
            return new Verdict(setAside, List.copyOf(all), voteGuardReason, logLastIndex, restoreMetaTerm);
        }

        public boolean clean() {
            return setAside.isEmpty() && voteGuardReason == null;
        }
    }

    public static Verdict decide(final Inputs in) {
        final List<RaftSegmentScan> segments = new ArrayList<>(in.segments());
        segments.sort(Comparator.comparingLong(RaftSegmentScan::firstIndex));
        final List<Path> setAside = new ArrayList<>();
        final List<String> findings = new ArrayList<>();
        final long snapshot = in.snapshotIndex();
        long lostFrom = Long.MAX_VALUE; // the lowest index above the snapshot that may be gone
        int keepFrom = 0;               // segments before this one are set aside
        int keepTo = segments.size();   // segments from this one on are set aside
        long expected = segments.isEmpty() ? -1 : segments.get(0).firstIndex();
        if (!segments.isEmpty() && segments.get(0).firstIndex() > snapshot + 1) {
            final long from = snapshot + 1;
            findings.add("the Raft log starts at index " + segments.get(0).firstIndex() + " (" + segments.get(0).file()
                + ") but the snapshot ends at " + snapshot + ": entries " + from + ".." + (segments.get(0).firstIndex() - 1)
                + " are missing");
            lostFrom = Math.min(lostFrom, from);
            keepTo = 0;
        }
        for (int i = 0; i < keepTo; i++) {
            final RaftSegmentScan s = segments.get(i);
            String problem = null;
            long problemIndex = -1;
            if (s.firstIndex() != expected) {
                problem = "the Raft log has a gap: " + s.file().getFileName() + " starts at index " + s.firstIndex()
                    + ", expected " + expected;
                problemIndex = expected;
            } else if (s.damage().isPresent()) {
                final RaftSegmentScan.Damage d = s.damage().get();
                problem = s.file() + (d.offset() >= 0 ? " at offset " + d.offset() : "") + ", index " + d.index()
                    + ": " + d.reason();
                problemIndex = d.index();
            }
            if (problem == null) {
                expected = s.lastGoodIndex() + 1;
                continue;
            }
            findings.add(problem);
            final long segmentEnd = s.open() ? Long.MAX_VALUE : s.nameLastIndex();
            if (segmentEnd <= snapshot && i + 1 < segments.size()) {
                keepFrom = i + 1; // covered by the snapshot: later segments may still be good
                expected = s.nameLastIndex() + 1;
                continue;
            }
            lostFrom = Math.min(lostFrom, Math.max(Math.min(problemIndex, s.firstIndex()), snapshot + 1));
            keepTo = i;
        }
        if (keepFrom > 0 && keepFrom < keepTo && segments.get(keepFrom).firstIndex() > snapshot + 1) {
            keepTo = keepFrom; // the kept part would not join the snapshot
            lostFrom = Math.min(lostFrom, snapshot + 1);
        }
        long logLast = keepTo > keepFrom ? segments.get(keepTo - 1).lastGoodIndex() : -1;
        if (keepTo > keepFrom && logLast < snapshot) {
            findings.add("the Raft log ends at index " + logLast + ", below the snapshot at " + snapshot
                + ": Ratis would not catch up from there, and what followed the snapshot is gone");
            lostFrom = Math.min(lostFrom, snapshot + 1); // a healthy log always reaches its snapshot
            keepTo = keepFrom;
            logLast = -1;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (i < keepFrom || i >= keepTo) {
                setAside.add(segments.get(i).file());
                if (segments.get(i).lastGoodIndex() > snapshot || segments.get(i).open()) {
                    lostFrom = Math.min(lostFrom, Math.max(segments.get(i).firstIndex(), snapshot + 1));
                }
            }
        }
        final long reaches = Math.max(logLast, snapshot);
        if (in.completionLastIndex() > reaches) {
            findings.add("entries up to index " + in.completionLastIndex() + " were applied (completion log) but the "
                + "Raft log and snapshot reach only " + reaches + ": acknowledged entries are missing");
            lostFrom = Math.min(lostFrom, reaches + 1);
        }
        final long lastTerm = Math.max(keepTo > keepFrom ? segments.get(keepTo - 1).lastGoodTerm() : -1,
            in.snapshotTerm());
        String metaProblem = null;
        if (in.meta() == MetaState.UNREADABLE) {
            metaProblem = in.metaFile() + " cannot be read";
        } else if (in.meta() == MetaState.MISSING && (!segments.isEmpty() || snapshot >= 0)) {
            metaProblem = in.metaFile() + " is missing while the log or a snapshot exists";
        } else if (in.meta() == MetaState.PRESENT && in.metaTerm() < lastTerm) {
            metaProblem = in.metaFile() + " holds term " + in.metaTerm() + ", below the last log entry's term " + lastTerm;
        }
        if (metaProblem != null) {
            findings.add(metaProblem + ": the term and vote this member persisted are lost");
            if (in.meta() != MetaState.MISSING) {
                setAside.add(in.metaFile());
            }
        }
        // The lost vote cannot be recovered: the fresh file holds the highest term this member still
        // knows and no vote, and the closed vote guard keeps it from voting until it has caught up.
        final long restoreMetaTerm = metaProblem != null ? Math.max(lastTerm, 0) : -1;
        String guard = null;
        if (lostFrom != Long.MAX_VALUE || metaProblem != null) {
            guard = (lostFrom != Long.MAX_VALUE ? "the Raft log may have lost entries from index " + lostFrom : "")
                + (lostFrom != Long.MAX_VALUE && metaProblem != null ? "; " : "")
                + (metaProblem != null ? "Raft's term and vote were lost" : "");
        }
        return new Verdict(List.copyOf(setAside), List.copyOf(findings), guard, logLast, restoreMetaTerm);
    }
}

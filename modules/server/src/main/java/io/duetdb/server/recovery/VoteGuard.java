package io.duetdb.server.recovery;

import io.duetdb.storage.io.AtomicFile;
import io.duetdb.storage.io.DirectorySync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Whether this member may vote. Closed after its Raft log or Raft metadata lost something: Raft's
 * safety rests on a voter never forgetting an entry it acknowledged nor a vote it cast (a member
 * that forgot a committed entry could elect a leader without it: Alagappan et al., "Protocol-Aware
 * Recovery for Consensus-Based Storage", FAST'18). While closed, the member answers no vote
 * requests ({@link VoteRefusal}) but from candidates whose log reaches what it held before the
 * damage ({@link VoteFloor}, when known), and stands for no election; it still receives entries and serves
 * reads through the read index. It opens once the member has applied everything a leader had
 * committed after the restart ({@link VoteGuardKeeper}): from then on it holds every entry it
 * could have acknowledged before the damage.
 *
 * <p>The state is the file {@code vote-guard} in the data directory, holding the reason; it is
 * written and fsynced before any damaged file is moved aside, so a crash in between leaves the
 * guard closed, and removed (directory fsynced) when it opens.
 */
public final class VoteGuard {
    static final String FILE_NAME = "vote-guard";

    /** What the file holds after {@code duetctl vote-guard clear}: open, and the next start may not close it. */
    static final String CLEARED = "cleared by an operator";

    private final Path file;
    private volatile String reason;
    private volatile VoteFloor floor;
    private volatile boolean clearedByOperator;

    private VoteGuard(final Path file, final String text) {
        this.file = file;
        final String[] lines = text == null ? new String[0] : text.strip().split("\n");
        this.clearedByOperator = lines.length > 0 && lines[0].startsWith(CLEARED);
        this.reason = clearedByOperator || lines.length == 0 ? null : lines[0];
        this.floor = lines.length > 1 ? VoteFloor.decode(lines[1]) : null;
    }

    /** The guard as the data directory leaves it. */
    public static VoteGuard load(final Path dataDir) throws IOException {
        final Path file = dataDir.resolve(FILE_NAME);
        return new VoteGuard(file, Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null);
    }

    /**
     * While closed: the candidates this member may still vote for are those whose log reaches this
     * floor ({@link VoteFloor}); null when it is not known, and then the member votes for no one.
     */
    public VoteFloor floor() {
        return reason == null ? null : floor;
    }

    public boolean closed() {
        return reason != null;
    }

    /** Why the member does not vote, or null while it may. */
    public String reason() {
        return reason;
    }

    /**
     * Closes the guard durably. A guard closed already keeps its first reason and gains this one.
     * A guard an operator cleared on the stopped member stays open: the start that follows would
     * otherwise find the same loss again.
     *
     * @return whether it is closed now
     */
    public synchronized boolean close(final String why, final VoteFloor newFloor) throws IOException {
        if (clearedByOperator) {
            return false;
        }
        final VoteFloor combined = reason == null ? newFloor : VoteFloor.higher(floor, newFloor);
        write((reason == null ? "" : reason + "; then ") + why + " (" + Instant.now() + ")", combined);
        return true;
    }

    /** Ends the operator's clearing once the start it was meant for has run its checks. */
    public synchronized void startChecked() throws IOException {
        if (clearedByOperator) {
            clearedByOperator = false;
            Files.deleteIfExists(file);
            DirectorySync.sync(file.getParent());
        }
    }

    /** For {@code duetctl vote-guard clear} on a stopped member: open, and the next start may not close it. */
    public synchronized void clearByOperator() throws IOException {
        write(CLEARED + " (" + Instant.now() + ")", null);
        reason = null;
        clearedByOperator = true;
    }

    /** The file: the reason on the first line, the floor (when known) on the second. */
    private void write(final String text, final VoteFloor newFloor) throws IOException {
        if (text.contains("\n")) {
            throw new IllegalArgumentException("a vote guard reason is one line: " + text);
        }
        final String content = text + "\n" + (newFloor == null ? "" : newFloor.encode() + "\n");
        AtomicFile.write(file, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        reason = text.startsWith(CLEARED) ? null : text;
        floor = newFloor;
    }

    /** Opens the guard durably: the member may vote again. */
    public synchronized void open() throws IOException {
        if (reason == null) {
            return;
        }
        Files.deleteIfExists(file);
        DirectorySync.sync(file.getParent());
        reason = null;
        floor = null;
    }
}

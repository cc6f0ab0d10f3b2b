package io.duetdb.server.recovery;

/**
 * The last entry a member held before its Raft log was damaged, (term, index), as its intent log
 * records it: the intent log is fsynced before Ratis acknowledges an entry, so nothing the member
 * acknowledged lies above it. While the vote guard is closed, the member grants a vote only to a
 * candidate whose log is at least this up to date, by Raft's own comparison (term first, then
 * index): the vote it would have granted with its log intact, so Raft's election safety argument
 * holds unchanged.
 */
public record VoteFloor(long term, long index) {
    public VoteFloor {
        if (term < 0 || index < 0) {
            throw new IllegalArgumentException("a vote floor needs a term and an index >= 0: " + term + ", " + index);
        }
    }

    /** Whether a candidate whose last entry is (term, index) is at least as up to date as this floor. */
    public boolean admits(final long candidateTerm, final long candidateIndex) {
        return candidateTerm > term || (candidateTerm == term && candidateIndex >= index);
    }

    /** The higher of two floors; unknown (null) when either is. */
    public static VoteFloor higher(final VoteFloor a, final VoteFloor b) {
        if (a == null || b == null) {
            return null;
        }
        return a.admits(b.term, b.index) ? b : a;
    }

    /** The form kept in the vote guard's file. */
    String encode() {
        return "vote-floor " + term + " " + index;
    }

    /** Parses {@link #encode()}'s form, or returns null for any other line. */
    static VoteFloor decode(final String line) {
        final String[] parts = line.strip().split(" ");
        if (parts.length != 3 || !parts[0].equals("vote-floor")) {
            return null;
        }
        try {
            return new VoteFloor(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (final IllegalArgumentException e) {
            return null; // unreadable: no floor, the member refuses every vote
        }
    }

    @Override
    public String toString() {
        return "term " + term + ", index " + index;
    }
}

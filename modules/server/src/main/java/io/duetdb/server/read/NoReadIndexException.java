package io.duetdb.server.read;

/**
 * A read index could not be had, and why. Every reason is safe to retry: the read changed nothing.
 */
public final class NoReadIndexException extends RuntimeException {
    /** Why no read index was given. */
    public enum Reason {
        /** This node is not the leader; {@link #leaderHint()} names the leader it knows, if any. */
        NOT_LEADER,
        /** The leader has not yet applied its first entry of the term, so its commit index may lag. */
        LEADER_NOT_READY,
        /** A member answered with a newer term: this leader has been deposed. */
        DEPOSED,
        /** Too few members answered in the leader's term to make a majority. */
        NO_MAJORITY,
        /** No leader answered within the read timeout. */
        NO_LEADER,
    }

    private final Reason reason;
    private final String leaderHint;

    public NoReadIndexException(final Reason reason, final String message, final String leaderHint) {
        super(message, null, false, false); // expected under faults: no stack trace
        this.reason = reason;
        this.leaderHint = leaderHint;
    }

    /** The reason of a NoReadIndexException, however wrapped by futures; null for any other failure. */
    public static Reason reasonOf(final Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NoReadIndexException e) {
                return e.reason;
            }
        }
        return null;
    }

    public Reason reason() {
        return reason;
    }

    /** The leader this node knows, or null. */
    public String leaderHint() {
        return leaderHint;
    }
}

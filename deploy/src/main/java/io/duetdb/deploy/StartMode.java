package io.duetdb.deploy;

import java.util.Optional;

/**
 * How a pod's node starts. The choice made on an empty data directory is written next to the data
 * (see {@link DataDir}) and kept for every later start, so that a node which began by joining keeps
 * joining until it has been added, whatever its Raft storage holds by then.
 */
public enum StartMode {
    /** One of the initial members, bootstrapping the cluster from the computed member list. */
    INITIAL("initial"),
    /** A new member: starts with an empty group ({@code --join}) and waits for {@code member add}. */
    JOIN("join");

    /** The word stored in the marker file; never change it (files on existing volumes hold it). */
    public final String code;

    StartMode(final String code) {
        this.code = code;
    }

    /** The mode whose code is {@code text} (surrounding white space ignored), if any. */
    public static Optional<StartMode> ofCode(final String text) {
        for (final StartMode m : values()) {
            if (m.code.equals(text.strip())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}

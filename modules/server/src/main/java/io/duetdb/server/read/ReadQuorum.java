package io.duetdb.server.read;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The voters whose majority confirms a leader's term: the current configuration's and, during a
 * joint configuration change, the previous configuration's too (a majority of each, as Raft
 * commits during a change). Listeners do not vote and are not here.
 *
 * @param current the voting members of the current configuration; never empty
 * @param previous the voting members of the previous configuration while a change is in progress,
 *     otherwise empty
 */
public record ReadQuorum(Set<String> current, Set<String> previous) {
    public ReadQuorum {
        if (current.isEmpty()) {
            throw new IllegalArgumentException("a configuration without voters has no quorum");
        }
        current = Set.copyOf(current);
        previous = Set.copyOf(previous);
    }

    public static ReadQuorum of(final Collection<String> current, final Collection<String> previous) {
        return new ReadQuorum(new LinkedHashSet<>(current), new LinkedHashSet<>(previous));
    }

    /** Every member whose answer counts: the current and the previous voters. */
    public Set<String> voters() {
        final Set<String> all = new LinkedHashSet<>(current);
        all.addAll(previous);
        return all;
    }

    /** Whether these members' acknowledgements make a majority of every configuration in force. */
    public boolean isReachedBy(final Set<String> acked) {
        return hasMajority(current, acked) && (previous.isEmpty() || hasMajority(previous, acked));
    }

    /** Whether a majority can no longer be reached once these members are counted out. */
    public boolean isLostBy(final Set<String> refused) {
        return !canStillReach(current, refused) || (!previous.isEmpty() && !canStillReach(previous, refused));
    }

    private static boolean hasMajority(final Set<String> voters, final Set<String> acked) {
        return voters.stream().filter(acked::contains).count() > voters.size() / 2;
    }

    private static boolean canStillReach(final Set<String> voters, final Set<String> refused) {
        return voters.size() - voters.stream().filter(refused::contains).count() > voters.size() / 2;
    }
}

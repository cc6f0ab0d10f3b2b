package io.duetdb.deploy;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a pod's node starts, and why. The whole rule:
 *
 * <table>
 *   <caption>start mode by data directory, marker, ordinal and what the other members say</caption>
 *   <tr><th>data directory</th><th>condition</th><th>mode</th></tr>
 *   <tr><td>empty</td><td>ordinal &ge; initial members (a scale-up)</td><td>join</td></tr>
 *   <tr><td>empty</td><td>another initial member knows a leader (the cluster runs: this member is
 *       new, or its volume was lost)</td><td>join</td></tr>
 *   <tr><td>empty</td><td>no other initial member knows a leader (first start of the cluster)</td>
 *       <td>initial</td></tr>
 *   <tr><td>holds state</td><td>marker present</td><td>the marker's mode</td></tr>
 *   <tr><td>holds state</td><td>no marker (restored from a snapshot, or written before the launcher)</td>
 *       <td>initial below the initial size, else join</td></tr>
 * </table>
 *
 * <p>A joining node never votes before a leader has brought it up to date, so an empty node that
 * joins cannot cost the cluster an acknowledged write, while one that bootstrapped again under an old
 * identity could. Hence the bias: an empty data directory bootstraps only when no cluster answers.
 *
 * @param mode   how to start
 * @param reason one line for the log: which row of the rule applied
 */
public record StartDecision(StartMode mode, String reason) {
    /**
     * Applies the rule.
     *
     * @param pod            the pod
     * @param initialMembers the size of the initial cluster (ordinals {@code 0..initialMembers-1})
     * @param holdsState     whether the data directory holds node state
     * @param marker         the mode recorded by an earlier start, if any
     * @param leaderProbe    asked only for an empty directory of an initial member: given the other
     *                       initial members' hosts, a description of the leader one of them knows, or
     *                       empty when none answered with a leader
     */
    public static StartDecision decide(final PodIdentity pod, final int initialMembers, final boolean holdsState,
                                       final Optional<StartMode> marker,
                                       final Function<List<String>, Optional<String>> leaderProbe) {
        PodIdentity.checkInitialMembers(initialMembers);
        final boolean initialOrdinal = pod.ordinal() < initialMembers;
        if (holdsState) {
            if (marker.isPresent()) {
                return new StartDecision(marker.get(), "data directory holds state, started before as '"
                    + marker.get().code + "'");
            }
            return initialOrdinal
                ? new StartDecision(StartMode.INITIAL, "data directory holds state (restored?) and ordinal "
                    + pod.ordinal() + " is one of the " + initialMembers + " initial members")
                : new StartDecision(StartMode.JOIN, "data directory holds state and ordinal " + pod.ordinal()
                    + " is beyond the " + initialMembers + " initial members");
        }
        if (!initialOrdinal) {
            return new StartDecision(StartMode.JOIN, "empty data directory, ordinal " + pod.ordinal()
                + " is beyond the " + initialMembers + " initial members: a new member (scale-up)");
        }
        if (initialMembers == 1) {
            return new StartDecision(StartMode.INITIAL, "empty data directory, the only initial member");
        }
        final Optional<String> leader = leaderProbe.apply(pod.otherHosts(initialMembers));
        return leader.map(l -> new StartDecision(StartMode.JOIN, "empty data directory, but the cluster runs ("
                + l + "): joining as a new member; it must be added with 'duetctl member add'"))
            .orElseGet(() -> new StartDecision(StartMode.INITIAL, "empty data directory and no other initial "
                + "member knows a leader: bootstrapping the cluster"));
    }
}

package io.duetdb.server.admin;

import java.util.function.Supplier;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.protocol.RaftPeerId;

/** Reads a {@link ReplicaState} from a Ratis division. */
public final class RaftReplicaState {
    private RaftReplicaState() {
    }

    /**
     * @param failure why the replica stopped serving, or null ({@code stateMachine::failure})
     * @param division the node's division, or null while there is none; may throw, which counts as none
     */
    public static Supplier<ReplicaState> of(final Supplier<String> failure,
                                            final Supplier<RaftServer.Division> division) {
        return () -> {
            final String failed = failure.get();
            final RaftServer.Division d;
            try {
                d = division.get();
            } catch (final RuntimeException e) {
                return ReplicaState.raftNotRunning(failed);
            }
            if (d == null || !d.getInfo().isAlive()) {
                return ReplicaState.raftNotRunning(failed);
            }
            final RaftPeerId leader = d.getInfo().getLeaderId();
            return new ReplicaState(failed, true, leader == null ? null : leader.toString(),
                d.getRaftLog().getLastCommittedIndex(), appliedIndex(d));
        };
    }

    /**
     * What the state machine applied, which is what reads see (Ratis's own applied index may run
     * ahead of it while an apply is still in progress); -1 before anything was applied.
     */
    static long appliedIndex(final RaftServer.Division d) {
        final TermIndex applied = d.getStateMachine().getLastAppliedTermIndex();
        return applied == null ? -1 : applied.getIndex();
    }
}

package io.duetdb.server.admin;

import static io.duetdb.server.admin.DuetMetricNames.KEYS;
import static io.duetdb.server.admin.DuetMetricNames.RAFT_APPLIED_INDEX;
import static io.duetdb.server.admin.DuetMetricNames.RAFT_COMMIT_INDEX;
import static io.duetdb.server.admin.DuetMetricNames.RAFT_IS_LEADER;
import static io.duetdb.server.admin.DuetMetricNames.RAFT_LEADER_KNOWN;
import static io.duetdb.server.admin.DuetMetricNames.RAFT_TERM;
import static io.duetdb.server.admin.DuetMetricNames.REPLICA_FAILED;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.server.RaftServer;

/**
 * Gauges of one replica: Raft term, commit and applied index, leadership, key count, failure.
 * Read when scraped; while the Raft division is not available (the supplier returns null or
 * throws) the Raft gauges return null and the exposition leaves them out.
 */
public final class ReplicaGauges {
    private ReplicaGauges() {
    }

    /**
     * @param division the node's Raft division, or null while there is none
     * @param keyCount the table's key count, e.g. {@code () -> sm.readTable(KvTable::size)}
     * @param failure why the replica stopped serving, or null while healthy ({@code sm::failure})
     */
    public static void register(final MetricRegistry registry, final Supplier<RaftServer.Division> division,
                                final LongSupplier keyCount, final Supplier<String> failure) {
        raft(registry, RAFT_TERM, division, d -> d.getInfo().getCurrentTerm());
        raft(registry, RAFT_COMMIT_INDEX, division, d -> d.getRaftLog().getLastCommittedIndex());
        raft(registry, RAFT_APPLIED_INDEX, division, RaftReplicaState::appliedIndex);
        raft(registry, RAFT_LEADER_KNOWN, division, d -> d.getInfo().getLeaderId() != null ? 1 : 0);
        raft(registry, RAFT_IS_LEADER, division, d -> d.getInfo().isLeader() ? 1 : 0);
        registry.register(KEYS, (Gauge<Long>) keyCount::getAsLong);
        registry.register(REPLICA_FAILED, (Gauge<Integer>) () -> failure.get() != null ? 1 : 0);
    }

    private static void raft(final MetricRegistry registry, final String name,
                             final Supplier<RaftServer.Division> division,
                             final Function<RaftServer.Division, Number> read) {
        registry.register(name, (Gauge<Number>) () -> {
            final RaftServer.Division d = division.get();
            return d == null ? null : read.apply(d);
        });
    }
}

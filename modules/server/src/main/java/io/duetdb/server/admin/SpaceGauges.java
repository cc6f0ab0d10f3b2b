package io.duetdb.server.admin;

import static io.duetdb.server.admin.DuetMetricNames.SPACE_ALARM;
import static io.duetdb.server.admin.DuetMetricNames.SPACE_QUOTA_BYTES;
import static io.duetdb.server.admin.DuetMetricNames.SPACE_REFUSED;
import static io.duetdb.server.admin.DuetMetricNames.SPACE_USED_BYTES;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.duetdb.server.replication.DuetStateMachine;
import io.duetdb.server.replication.SpaceQuota;

/** The space quota's gauges: usage, quota, the alarm and refused writes (see {@link SpaceQuota}). */
public final class SpaceGauges {
    private SpaceGauges() {
    }

    public static void register(final MetricRegistry registry, final DuetStateMachine stateMachine) {
        final SpaceQuota quota = stateMachine.spaceQuota();
        registry.register(SPACE_USED_BYTES, (Gauge<Long>) stateMachine::spaceUsedBytes);
        registry.register(SPACE_QUOTA_BYTES, (Gauge<Long>) quota::quotaBytes);
        registry.register(SPACE_ALARM, (Gauge<Integer>) () -> quota.alarm() ? 1 : 0);
        registry.register(MetricName.of(SPACE_REFUSED, "stage", "propose"),
            (FunctionCounter) quota::refusedBeforeProposing);
        registry.register(MetricName.of(SPACE_REFUSED, "stage", "apply"), (FunctionCounter) quota::refusedAtApply);
    }
}

package io.duetdb.bench.load;

import java.util.ArrayList;
import java.util.List;

/** Runs one load as specified: opens the driver and its connections, generates, closes. */
public final class Bench {
    private Bench() {
    }

    public static LoadResult run(final LoadSpec spec, final Progress progress) throws Exception {
        return run(spec, progress, List.of());
    }

    /** Also reports the CPU time the processes {@code cpuPids} used in the measured window. */
    public static LoadResult run(final LoadSpec spec, final Progress progress, final List<Long> cpuPids)
        throws Exception {
        try (KvDriver driver = open(spec)) {
            final List<KvDriver.Connection> conns = new ArrayList<>();
            for (int i = 0; i < spec.conns(); i++) {
                conns.add(driver.connect(i));
            }
            return new LoadGenerator(spec, conns, cpuPids).run(progress);
        }
    }

    private static KvDriver open(final LoadSpec spec) {
        return switch (spec.target()) {
            case DUET, NOOP -> new DuetDriver(spec.endpoints(), spec.requestTimeoutMs());
            case ETCD -> new EtcdDriver(spec.endpoints(), spec.requestTimeoutMs());
        };
    }
}

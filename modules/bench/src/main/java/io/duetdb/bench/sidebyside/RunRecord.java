package io.duetdb.bench.sidebyside;

import com.google.gson.GsonBuilder;
import io.duetdb.bench.EngineBenchmark;
import io.duetdb.bench.load.LoadResult;
import java.util.List;
import java.util.Map;

/**
 * Everything one side-by-side run measured ({@code side-by-side.json}): the machine and versions,
 * every cluster trial in the order it ran, and every engine trial. Reports and charts are made from
 * this alone, so they can be redone without rerunning.
 */
record RunRecord(Environment environment, List<ClusterTrial> cluster, List<EngineBenchmark.Trial> engine) {

    /** The machine, the versions and the load around the run. */
    record Environment(String startedAt, String finishedAt, String command, String kernel, String cpuModel, int cores,
                       String java, String etcd, Map<String, String> libraries, String duetCommit,
                       double fsyncMsBefore, double fsyncMsAfter, String loadavgBefore, String loadavgAfter,
                       List<String> notes) {
    }

    /**
     * One cluster trial; {@code result} is null when it failed ({@code error} says why).
     *
     * @param order position in the run (trials alternate systems; this shows the order)
     * @param workload a {@link ClusterWorkload} label; null in runs from before reads were measured (puts)
     */
    record ClusterTrial(int order, int round, String workload, String system, int clients, int conns, String file,
                        LoadResult result, String error) {
    }

    String toJson() {
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(this);
    }

    static RunRecord fromJson(final String json) {
        return new GsonBuilder().serializeSpecialFloatingPointValues().create().fromJson(json, RunRecord.class);
    }
}

package io.duetdb.bench.sidebyside;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The settings of a side-by-side run; the defaults are the documented run (about 38 minutes). */
@Command(name = "side-by-side", mixinStandardHelpOptions = true,
    description = "Duet vs etcd vs a no-op gRPC service (3-node clusters on loopback), then the engine vs "
        + "RocksDB vs a naive log; tables, JSON and PNG charts in --out.")
final class SideBySideOptions {
    /** The payload of every cluster trial: etcd's benchmark shape as the research measured it. */
    static final int KEY_BYTES = 8;
    static final int VALUE_BYTES = 256;
    static final long KEY_SPACE = 100_000;

    @Option(names = "--out", required = true, description = "directory for results, logs and charts")
    Path outDir;
    @Option(names = "--work", description = "data directories, deleted at the end (default: ${DEFAULT-VALUE})")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "duet-side-by-side");
    @Option(names = "--systems", split = ",", description = "of duet, etcd, noop, and Duet variants as "
        + "duet:NODE-FLAGS (space-separated), e.g. 'duet:--max-in-flight-entries=16' (default: ${DEFAULT-VALUE})")
    List<String> systems = List.of("duet", "etcd", "noop");
    @Option(names = "--shapes", split = ",", description = "CLIENTS/CONNS of the put trials (default: ${DEFAULT-VALUE})")
    List<String> shapes = List.of("1/1", "16/4", "64/8", "256/16");
    @Option(names = "--read-shapes", split = ",", description = "CLIENTS/CONNS of the read and mixed trials "
        + "(default: ${DEFAULT-VALUE})")
    List<String> readShapes = List.of("1/1", "64/8", "256/16");
    @Option(names = "--workloads", split = ",", description = "of put, read-leader, read-follower, "
        + "read-serializable, mix-90-10 (default: ${DEFAULT-VALUE})")
    List<String> workloads = List.of("put", "read-leader", "read-follower", "read-serializable", "mix-90-10");
    @Option(names = "--rounds", description = "rounds of every shape and system, the order rotating "
        + "(default: ${DEFAULT-VALUE})")
    int rounds = 2;
    @Option(names = "--duration-ms", description = "measured time per trial (default: ${DEFAULT-VALUE})")
    long durationMs = 10_000;
    @Option(names = "--warmup-ms", description = "unmeasured load at the start of each trial (default: ${DEFAULT-VALUE})")
    long warmupMs = 3_000;
    @Option(names = "--server-warmup-ms", description = "unrecorded load per system after it starts, split "
        + "over the shapes, so the JVM servers are compiled before the first trial (default: ${DEFAULT-VALUE})")
    long serverWarmupMs = 120_000;
    @Option(names = "--etcd", description = "the etcd binary (default: ${DEFAULT-VALUE})")
    String etcdBinary = "/usr/bin/etcd";
    @Option(names = "--engine-seconds", description = "measured seconds per engine trial (default: ${DEFAULT-VALUE})")
    int engineSeconds = 5;
    @Option(names = "--engine-rounds", description = "(default: ${DEFAULT-VALUE})")
    int engineRounds = 2;
    @Option(names = "--engine-writers", description = "(default: ${DEFAULT-VALUE})")
    String engineWriters = "1,16,64,256";
    @Option(names = "--engine-systems", description = "(default: ${DEFAULT-VALUE})")
    String engineSystems = "io_uring,filechannel,rocksdb,naive";
    @Option(names = "--skip-cluster", description = "only the engine part")
    boolean skipCluster;
    @Option(names = "--skip-engine", description = "only the cluster part")
    boolean skipEngine;
    @Option(names = "--report-only", description = "redo results.md and the charts from --out/side-by-side.json")
    boolean reportOnly;
    @Option(names = "--command", hidden = true, description = "the command line to print in the report")
    String command = "modules/bench/side-by-side.sh";
}

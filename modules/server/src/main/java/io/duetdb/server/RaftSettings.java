package io.duetdb.server;

import io.duetdb.server.config.NodeConfig;
import io.duetdb.server.replication.ReplicaLimits;
import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Every Ratis setting Duet changes from Ratis's defaults, and why. */
final class RaftSettings {
    /**
     * Client retries: bounded at 30 s, long enough for an election plus a restarted leader's
     * replay on a loaded machine (Ratis's default retries forever without sleeping).
     */
    static final int CLIENT_RETRY_ATTEMPTS = 120;
    static final long CLIENT_RETRY_SLEEP_MS = 250;

    private RaftSettings() {
    }

    /**
     * The first election after start waits 10-11 s: a member whose vote guard is closed pauses its
     * elections right after Ratis starts, and must not stand in the moment before. Not longer:
     * Ratis's follower sleeps through the whole of a timeout before it looks again, so an hour
     * here kept a member that had voted again from standing for an hour (a PAR run found it).
     */
    static void holdFirstElection(final RaftProperties p) {
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, TimeDuration.valueOf(11, TimeUnit.SECONDS));
    }

    static RaftProperties server(final NodeConfig c) {
        final RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(new File(c.dataDir().resolve("raft").toString())));
        GrpcConfigKeys.Server.setHost(p, c.listenHost());
        GrpcConfigKeys.Server.setPort(p, c.peerPort());
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(ReplicaLimits.MAX_MESSAGE_BYTES * 2L));
        // Elections: JVM pauses on a loaded 2-core machine reach a second; 150-300 ms churns leaders.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(c.electionTimeoutMinMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(c.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(requestTimeoutMs(c), TimeUnit.MILLISECONDS));
        // Reads: Duet's own ReadIndex (read/LinearizableReads) does not go through Ratis; Ratis's read
        // option only serves read-option=default, its leader-local reads.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.DEFAULT);
        // The DataApi: Raft waits for write() before logging an entry, and flush() fsyncs intents.
        RaftServerConfigKeys.Log.StateMachineData.setSync(p, true);
        // No METADATA entries: Ratis logs one after every commit-index change so that a restart
        // knows the commit index at once. At low concurrency that is a second entry (a second
        // replication round, fsync and apply on every member) per write. Raft needs no stored
        // commit index: a restarted member learns it from the leader, and a new leader commits its
        // first entry of the term before anything is applied past the snapshot.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        // A hung intent write fails the log after 6 x 10 s instead of stalling it forever.
        RaftServerConfigKeys.Log.StateMachineData.setSyncTimeoutRetry(p, 6);
        // Entries stay below the appender's 4 MB limit (an entry above it makes the leader step down).
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf("4MB"));
        // Smaller Raft log segments so a purge after a snapshot frees space (and intents) sooner.
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(c.raftSegmentBytes()));
        // Snapshots: on, purge up to the snapshot (a dead follower must not pin the log), keep 3.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, c.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 3);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, Math.max(1, c.snapshotEveryEntries() / 2)));
        // A follower that lags beyond the leader's log gets the snapshot files shipped.
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
        return p;
    }

    /**
     * How long a request may wait on Raft: an election plus a restarted leader's replay on a loaded
     * machine. Also the budget of a linearizable read's wait for its read index and for its apply.
     */
    static long requestTimeoutMs(final NodeConfig c) {
        return Math.max(3_000, 3L * c.electionTimeoutMaxMs());
    }

    static RaftProperties client() {
        final RaftProperties p = new RaftProperties();
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(ReplicaLimits.MAX_MESSAGE_BYTES * 2L));
        return p;
    }

    static RetryPolicy clientRetryPolicy() {
        return RetryPolicies.retryUpToMaximumCountWithFixedSleep(CLIENT_RETRY_ATTEMPTS,
            TimeDuration.valueOf(CLIENT_RETRY_SLEEP_MS, TimeUnit.MILLISECONDS));
    }
}

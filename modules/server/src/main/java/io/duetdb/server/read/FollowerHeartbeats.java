package io.duetdb.server.read;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the leader send a follower its commit index now rather than at the next periodic
 * heartbeat. A follower that got a read index must apply through it, but Ratis tells a follower
 * that already holds the entries about a new commit index only with the next heartbeat (every
 * half election timeout): the read would wait that long. Ratis's own ReadIndex triggers a
 * heartbeat here (RATIS-2392); Duet's does the same.
 *
 * <p>Ratis offers no public way from a division to its log appenders, so this class takes them as
 * they are made: {@link RpcType} is Ratis's plug-in point for the transport, and
 * {@link TrackingRpcType} is gRPC with a factory that records each appender it makes. Only public
 * Ratis APIs are used; {@code FollowerHeartbeatsTest} fails if an upgrade stops the appenders
 * from coming through here.
 */
public final class FollowerHeartbeats {
    private static final Logger LOG = LoggerFactory.getLogger(FollowerHeartbeats.class);
    /** The key under which {@link #install} puts this object into the Ratis server's parameters. */
    static final String PARAMETER_KEY = "duet.follower-heartbeats";

    private final Map<String, LogAppender> appenders = new ConcurrentHashMap<>();

    /** Routes the Ratis server's transport through {@link TrackingRpcType}, reporting to this object. */
    public void install(final org.apache.ratis.conf.RaftProperties properties, final Parameters parameters) {
        parameters.put(PARAMETER_KEY, this, FollowerHeartbeats.class);
        org.apache.ratis.RaftConfigKeys.Rpc.setType(properties, new TrackingRpcType());
    }

    /** Sends follower {@code followerId} a heartbeat (with the commit index) now; false if this node has no appender for it. */
    public boolean trigger(final String followerId) {
        final LogAppender appender = appenders.get(followerId);
        if (appender == null || !appender.isRunning()) {
            return false;
        }
        appender.triggerHeartbeat();
        return true;
    }

    /**
     * Lowers what this leader believes follower {@code followerId} holds to {@code logEndIndex},
     * when it believes more: the follower lost entries it had acknowledged, or its log otherwise ends
     * below the match index (docs/recovery.md#raft-log).
     * Ratis only ever raises a follower's match index, and answers the follower's INCONSISTENCY
     * replies by resending from above it, so such a follower would never catch up. Lowering it is
     * always safe: the leader resends entries the follower may already hold, and counts the
     * follower toward fewer commits, never more.
     *
     * @return whether it was lowered
     */
    public boolean rewind(final String followerId, final long logEndIndex) {
        final LogAppender appender = appenders.get(followerId);
        if (appender == null || !appender.isRunning()) {
            return false;
        }
        final FollowerInfo follower = appender.getFollower();
        final long believed = follower.getMatchIndex();
        if (believed <= logEndIndex) {
            return false;
        }
        LOG.warn("follower {}'s Raft log ends at index {}, below the {} this leader believed it held (it lost "
            + "entries it had acknowledged, or Ratis lost track): sending it everything after {}", followerId,
            logEndIndex, believed, logEndIndex);
        follower.setSnapshotIndex(logEndIndex); // Ratis's one unconditional setter of match and next index
        appender.notifyLogAppender();
        return true;
    }

    /** How many followers this node has made appenders for (as leader, now or earlier). */
    int knownFollowers() {
        return appenders.size();
    }

    private void register(final LogAppender appender) {
        appenders.put(appender.getFollowerId().toString(), appender); // the newest replaces a stopped one
    }

    /** gRPC, as Ratis's own, with a factory that records the appenders it makes. */
    public static final class TrackingRpcType implements RpcType {
        @Override
        public String name() {
            return TrackingRpcType.class.getName(); // Ratis instantiates a user-defined RpcType by class name
        }

        @Override
        public RpcFactory newFactory(final Parameters parameters) {
            return new TrackingGrpcFactory(parameters, parameters.getNonNull(PARAMETER_KEY, FollowerHeartbeats.class));
        }
    }

    private static final class TrackingGrpcFactory extends GrpcFactory {
        private final FollowerHeartbeats heartbeats;

        TrackingGrpcFactory(final Parameters parameters, final FollowerHeartbeats heartbeats) {
            super(parameters);
            this.heartbeats = heartbeats;
        }

        @Override
        public LogAppender newLogAppender(final RaftServer.Division server, final LeaderState state,
                                          final FollowerInfo follower) {
            final LogAppender appender = super.newLogAppender(server, state, follower);
            heartbeats.register(appender);
            return appender;
        }
    }
}

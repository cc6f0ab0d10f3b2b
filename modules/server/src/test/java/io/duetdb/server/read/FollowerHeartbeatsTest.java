package io.duetdb.server.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.junit.jupiter.api.Test;

/**
 * The Ratis plug-in point this relies on: a user-defined RpcType named in the properties is what
 * the Raft server instantiates, and its factory is gRPC's. If a Ratis upgrade changes either, this
 * fails before followers silently go back to waiting for periodic heartbeats.
 */
class FollowerHeartbeatsTest {
    @Test
    void theRaftServerTransportIsGrpcWithTheTrackingFactory() {
        final RaftProperties properties = new RaftProperties();
        final Parameters parameters = new Parameters();
        final FollowerHeartbeats heartbeats = new FollowerHeartbeats();
        heartbeats.install(properties, parameters);

        final RpcType type = RaftConfigKeys.Rpc.type(properties, message -> { });
        assertInstanceOf(FollowerHeartbeats.TrackingRpcType.class, type);
        final Object factory = type.newFactory(parameters);
        assertInstanceOf(GrpcFactory.class, factory);
        assertEquals("TrackingGrpcFactory", factory.getClass().getSimpleName());
        assertFalse(heartbeats.trigger("n2"), "no appender yet: nothing to trigger");
        assertEquals(0, heartbeats.knownFollowers());
    }
}

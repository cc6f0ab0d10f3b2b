package io.duetdb.server.recovery;

import java.util.Set;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a member whose {@link VoteGuard} is closed out of elections on the receiving side: Ratis's
 * own vote and pre-vote requests ({@code requestVote}) and requests to start an election here
 * ({@code startLeaderElection}, a leadership transfer) are failed before Ratis sees them. A
 * candidate counts a failed request as no vote. Installed through Ratis's gRPC services
 * customizer, the one public hook into its server transport.
 */
public final class VoteRefusal implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(VoteRefusal.class);
    private static final String SERVICE = "ratis.grpc.RaftServerProtocolService/";
    static final Set<String> REFUSED_METHODS = Set.of(SERVICE + "requestVote", SERVICE + "startLeaderElection");

    private final VoteGuard guard;

    private VoteRefusal(final VoteGuard guard) {
        this.guard = guard;
    }

    /** Adds the refusal to the Ratis server that {@code parameters} configure. */
    public static void install(final Parameters parameters, final VoteGuard guard) {
        final VoteRefusal refusal = new VoteRefusal(guard);
        GrpcConfigKeys.Server.setServicesCustomizer(parameters, (builder, types) -> builder.intercept(refusal));
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(final ServerCall<Q, A> call, final Metadata headers,
                                                       final ServerCallHandler<Q, A> next) {
        final String reason = guard.reason();
        if (reason != null && REFUSED_METHODS.contains(call.getMethodDescriptor().getFullMethodName())) {
            LOG.info("refused a vote request ({}): {}", call.getMethodDescriptor().getBareMethodName(), reason);
            call.close(Status.UNAVAILABLE.withDescription("this member does not vote until it has caught up with a "
                + "leader: " + reason), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}

package io.duetdb.server.recovery;

import java.util.Set;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a member whose {@link VoteGuard} is closed from electing a leader that lacks what it lost,
 * on the receiving side: Ratis's vote and pre-vote requests ({@code requestVote}) are failed before
 * Ratis sees them unless the candidate's log reaches the guard's {@link VoteFloor} (then Ratis
 * decides as usual), and requests to start an election here ({@code startLeaderElection}, a
 * leadership transfer) always are. A candidate counts a failed request as no vote. Installed
 * through Ratis's gRPC services customizer, the one public hook into its server transport.
 */
public final class VoteRefusal implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(VoteRefusal.class);
    private static final String SERVICE = "ratis.grpc.RaftServerProtocolService/";
    static final String REQUEST_VOTE = SERVICE + "requestVote";
    static final Set<String> REFUSED_METHODS = Set.of(REQUEST_VOTE, SERVICE + "startLeaderElection");

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
        final String method = call.getMethodDescriptor().getFullMethodName();
        final String reason = guard.reason();
        if (reason == null || !REFUSED_METHODS.contains(method)) {
            return next.startCall(call, headers);
        }
        final VoteFloor floor = guard.floor();
        if (floor == null || !method.equals(REQUEST_VOTE)) {
            refuse(call, reason, "");
            return new ServerCall.Listener<>() {
            };
        }
        return new VoteByFloor<>(call, headers, next, floor, reason);
    }

    private static void refuse(final ServerCall<?, ?> call, final String reason, final String detail) {
        LOG.info("refused a vote request ({}{}): {}", call.getMethodDescriptor().getBareMethodName(), detail, reason);
        call.close(Status.UNAVAILABLE.withDescription("this member does not vote until it has caught up with a "
            + "leader: " + reason + detail), new Metadata());
    }

    /**
     * Reads the vote request before Ratis does: a candidate whose log reaches the floor is handed to
     * Ratis (which applies Raft's checks against the member's current log too), any other is refused.
     * gRPC calls a listener's methods one at a time, so the state needs no lock.
     */
    private static final class VoteByFloor<Q, A> extends ServerCall.Listener<Q> {
        private final ServerCall<Q, A> call;
        private final Metadata headers;
        private final ServerCallHandler<Q, A> next;
        private final VoteFloor floor;
        private final String reason;
        private ServerCall.Listener<Q> ratis; // set once the request was let through

        VoteByFloor(final ServerCall<Q, A> call, final Metadata headers, final ServerCallHandler<Q, A> next,
                    final VoteFloor floor, final String reason) {
            this.call = call;
            this.headers = headers;
            this.next = next;
            this.floor = floor;
            this.reason = reason;
            call.request(1); // the request itself; Ratis's handler asks for its own once started
        }

        @Override
        public void onMessage(final Q message) {
            if (ratis != null) {
                ratis.onMessage(message);
                return;
            }
            if (!(message instanceof RequestVoteRequestProto request)) {
                refuse(call, reason, ": not a vote request");
                return;
            }
            final long term = request.getCandidateLastEntry().getTerm();
            final long index = request.getCandidateLastEntry().getIndex();
            final String candidate = request.getServerRequest().getRequestorId().toStringUtf8();
            if (!floor.admits(term, index)) {
                refuse(call, reason, ", candidate " + candidate + "'s log ends at term " + term + ", index " + index
                    + ", below what this member held (" + floor + ")");
                return;
            }
            LOG.info("let a vote request from {} through to Raft: its log (term {}, index {}) reaches what this member "
                + "held before the damage ({})", candidate, term, index, floor);
            ratis = next.startCall(call, headers);
            ratis.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            if (ratis != null) {
                ratis.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            if (ratis != null) {
                ratis.onCancel();
            }
        }

        @Override
        public void onComplete() {
            if (ratis != null) {
                ratis.onComplete();
            }
        }

        @Override
        public void onReady() {
            if (ratis != null) {
                ratis.onReady();
            }
        }
    }
}

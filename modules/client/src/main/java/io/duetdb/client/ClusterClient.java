package io.duetdb.client;

import io.duetdb.api.v1.ClusterGrpc;
import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.Member;
import io.duetdb.api.v1.MemberAddRequest;
import io.duetdb.api.v1.MemberListRequest;
import io.duetdb.api.v1.MemberListResponse;
import io.duetdb.api.v1.MemberRemoveRequest;
import io.duetdb.api.v1.MoveLeaderRequest;
import io.duetdb.api.v1.MoveLeaderResponse;
import io.duetdb.api.v1.StatusRequest;
import io.duetdb.api.v1.StatusResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Membership, leadership and node status. Thread-safe; get it from {@link DuetClient#cluster()}.
 *
 * <p>Status and the member list are reads: retried on other endpoints like any read. Membership
 * changes and {@link #moveLeader} are sent once, to the leader when it is known: repeating them is
 * not harmless. They can take long (a new member catches up; a transfer waits for the target to
 * catch up, up to 30 s on the server): give them time with {@link #withTimeout}.
 */
public final class ClusterClient {
    private final CallRunner runner;
    private final EndpointPool pool;
    private final LeaderTracker tracker;
    private final long timeoutMs;

    ClusterClient(final CallRunner runner, final EndpointPool pool, final LeaderTracker tracker,
                  final long timeoutMs) {
        this.runner = runner;
        this.pool = pool;
        this.tracker = tracker;
        this.timeoutMs = timeoutMs;
    }

    /** The same client with another deadline for each call. */
    public ClusterClient withTimeout(final Duration timeout) {
        return new ClusterClient(runner, pool, tracker, DuetClient.Builder.positiveMs(timeout, "timeout"));
    }

    /** The members, as the leader (when known) sees them. */
    public MemberList memberList() {
        return Await.result(runner.run(CallSpec.of("member list", CallKind.READ, Route.LEADER, null, timeoutMs),
            ignored -> (channel, deadline, observer) -> ClusterGrpc.newStub(channel).withDeadline(deadline)
                .memberList(MemberListRequest.getDefaultInstance(), observer),
            MemberListResponse::getHeader, (r, ep) -> MemberList.of(r)), "member list");
    }

    /**
     * Adds a voting member. Start the new node first, empty, with {@code --join}; it catches up
     * before it votes.
     *
     * @param peerAddress   host:port of its Raft port
     * @param clientAddress host:port of its client port
     */
    public MemberList addMember(final String id, final String peerAddress, final String clientAddress) {
        final MemberAddRequest request = MemberAddRequest.newBuilder().setMember(Member.newBuilder().setId(id)
            .setPeerAddress(peerAddress).setClientAddress(clientAddress)).build();
        return membershipChange("member add", (channel, deadline, observer) -> ClusterGrpc.newStub(channel)
            .withDeadline(deadline).memberAdd(request, observer));
    }

    /** Removes a member (removing the leader makes the others elect a new one). */
    public MemberList removeMember(final String id) {
        final MemberRemoveRequest request = MemberRemoveRequest.newBuilder().setId(id).build();
        return membershipChange("member remove", (channel, deadline, observer) -> ClusterGrpc.newStub(channel)
            .withDeadline(deadline).memberRemove(request, observer));
    }

    private MemberList membershipChange(final String operation, final Rpc<MemberListResponse> rpc) {
        final MemberList list = Await.result(runner.run(CallSpec.of(operation, CallKind.ONCE, Route.LEADER, null,
            timeoutMs), ignored -> rpc, MemberListResponse::getHeader, (r, ep) -> MemberList.of(r)), operation);
        tracker.forgetAndRefresh(); // the leader may have changed
        return list;
    }

    /** Transfers leadership to {@code targetMemberId}; writes follow the new leader from then on. */
    public MoveLeaderResult moveLeader(final String targetMemberId) {
        final MoveLeaderRequest request = MoveLeaderRequest.newBuilder().setTargetId(targetMemberId).build();
        final MoveLeaderResult result = Await.result(runner.run(CallSpec.of("move leader", CallKind.ONCE,
                Route.LEADER, null, timeoutMs),
            ignored -> (channel, deadline, observer) -> ClusterGrpc.newStub(channel).withDeadline(deadline)
                .moveLeader(request, observer),
            MoveLeaderResponse::getHeader, (r, ep) -> new MoveLeaderResult(Header.of(r.getHeader()),
                r.getLeaderId())), "move leader");
        tracker.forgetAndRefresh();
        return result;
    }

    /** The status of the leader when it is known, else of another endpoint (retried like a read). */
    public NodeStatus status() {
        return Await.result(statusAsync(CallSpec.of("status", CallKind.READ, Route.LEADER, null, timeoutMs)),
            "status");
    }

    /** The status of one configured endpoint, asked once. */
    public NodeStatus status(final String endpoint) {
        final Endpoint ep = pool.byAddress(endpoint);
        if (ep == null) {
            throw new IllegalArgumentException("\"" + endpoint + "\" is not one of this client's endpoints "
                + pool.all());
        }
        return Await.result(statusAsync(CallSpec.of("status of " + endpoint, CallKind.ONCE, Route.FIXED, ep,
            timeoutMs)), "status of " + endpoint);
    }

    /** The status of every configured endpoint, asked at once; an endpoint that failed has its error. */
    public List<EndpointStatus> statusAll() {
        final List<CompletableFuture<EndpointStatus>> replies = new ArrayList<>();
        for (final Endpoint ep : pool.all()) {
            replies.add(statusAsync(CallSpec.of("status of " + ep, CallKind.ONCE, Route.FIXED, ep, timeoutMs))
                .handle((s, error) -> new EndpointStatus(ep.address(), s, error == null ? null : duetError(error))));
        }
        return replies.stream().map(CompletableFuture::join).toList();
    }

    private static DuetException duetError(final Throwable error) {
        final Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t instanceof DuetException d ? d : new DuetException(io.grpc.Status.Code.UNKNOWN, "status", 0,
            List.of(), false, "status failed: " + t, t);
    }

    private CompletableFuture<NodeStatus> statusAsync(final CallSpec spec) {
        return runner.run(spec, ignored -> (channel, deadline, observer) -> MaintenanceGrpc.newStub(channel)
            .withDeadline(deadline).status(StatusRequest.getDefaultInstance(), observer),
            StatusResponse::getHeader, (s, ep) -> {
                tracker.learn(ep, s);
                return NodeStatus.of(ep.address(), s);
            });
    }
}

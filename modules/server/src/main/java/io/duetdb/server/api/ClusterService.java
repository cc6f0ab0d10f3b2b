package io.duetdb.server.api;

import io.duetdb.api.v1.ClusterGrpc;
import io.duetdb.api.v1.Member;
import io.duetdb.api.v1.MemberAddRequest;
import io.duetdb.api.v1.MemberListRequest;
import io.duetdb.api.v1.MemberListResponse;
import io.duetdb.api.v1.MemberRemoveRequest;
import io.duetdb.api.v1.MoveLeaderRequest;
import io.duetdb.api.v1.MoveLeaderResponse;
import io.duetdb.server.DuetNode;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Membership and leadership. Changes go through Ratis's admin API to the leader, one at a time
 * (joint consensus); the {@code List} overload of setConfiguration is used (the array overload is
 * broken in Ratis 3.3.0, RATIS-2640).
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private static final long MOVE_LEADER_TIMEOUT_MS = 30_000;

    private final DuetNode node;

    public ClusterService(final DuetNode node) {
        this.node = node;
    }

    @Override
    public void memberList(final MemberListRequest request, final StreamObserver<MemberListResponse> response) {
        try {
            response.onNext(list());
            response.onCompleted();
        } catch (final IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void memberAdd(final MemberAddRequest request, final StreamObserver<MemberListResponse> response) {
        final Member m = request.getMember();
        if (m.getId().isBlank() || !m.getPeerAddress().contains(":") || !m.getClientAddress().contains(":")) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("a member needs an id, a peer_address and a "
                + "client_address (host:port each); got " + m).asRuntimeException());
            return;
        }
        try {
            final List<RaftPeer> peers = new ArrayList<>(currentPeers());
            if (peers.stream().anyMatch(p -> p.getId().toString().equals(m.getId()))) {
                throw Status.ALREADY_EXISTS.withDescription("member " + m.getId() + " is already in the cluster")
                    .asRuntimeException();
            }
            peers.add(RaftPeer.newBuilder().setId(m.getId()).setAddress(m.getPeerAddress())
                .setDataStreamAddress(m.getClientAddress()).build());
            check(node.raftClient().admin().setConfiguration(peers), "add " + m.getId());
            response.onNext(list());
            response.onCompleted();
        } catch (final IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void memberRemove(final MemberRemoveRequest request, final StreamObserver<MemberListResponse> response) {
        try {
            final List<RaftPeer> peers = new ArrayList<>(currentPeers());
            if (!peers.removeIf(p -> p.getId().toString().equals(request.getId()))) {
                throw Status.NOT_FOUND.withDescription("no member " + request.getId()).asRuntimeException();
            }
            if (peers.isEmpty()) {
                throw Status.FAILED_PRECONDITION.withDescription("cannot remove the last member").asRuntimeException();
            }
            check(node.raftClient().admin().setConfiguration(peers), "remove " + request.getId());
            response.onNext(list());
            response.onCompleted();
        } catch (final IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void moveLeader(final MoveLeaderRequest request, final StreamObserver<MoveLeaderResponse> response) {
        try {
            if (currentPeers().stream().noneMatch(p -> p.getId().toString().equals(request.getTargetId()))) {
                throw Status.NOT_FOUND.withDescription("no member " + request.getTargetId()).asRuntimeException();
            }
            check(node.raftClient().admin().transferLeadership(RaftPeerId.valueOf(request.getTargetId()),
                MOVE_LEADER_TIMEOUT_MS), "move leadership to " + request.getTargetId());
            response.onNext(MoveLeaderResponse.newBuilder().setLeaderId(request.getTargetId())
                .setHeader(Headers.current(node)).build());
            response.onCompleted();
        } catch (final IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    private static void check(final RaftClientReply reply, final String what) throws IOException {
        if (!reply.isSuccess()) {
            throw new IOException("could not " + what + ": " + reply.getException());
        }
    }

    private Collection<RaftPeer> currentPeers() throws IOException {
        return node.division().getRaftConf().getCurrentPeers();
    }

    private MemberListResponse list() throws IOException {
        final RaftPeerId leader = node.division().getInfo().getLeaderId();
        final MemberListResponse.Builder b = MemberListResponse.newBuilder().setHeader(Headers.current(node));
        for (final RaftPeer p : currentPeers()) {
            b.addMembers(Member.newBuilder().setId(p.getId().toString()).setPeerAddress(p.getAddress())
                .setClientAddress(p.getDataStreamAddress() == null ? "" : p.getDataStreamAddress())
                .setIsLeader(p.getId().equals(leader)));
        }
        return b.build();
    }
}

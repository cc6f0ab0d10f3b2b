package io.duetdb.server.read;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;

/**
 * What the read path needs of this node's Raft state, read from the Ratis division: the leader's
 * term, commit index and voters, the leader a follower knows, and this member's term. A member's
 * Duet API address travels in the Raft configuration as the peer's data-stream address (DuetNode).
 */
public final class RaftReadView implements LeaderReadIndex.LeaderView, FollowerReadIndex.LeaderLocator {
    private final String selfId;
    private final Supplier<RaftServer.Division> division;

    /** @param division the Raft division, or null while the server is not running */
    public RaftReadView(final String selfId, final Supplier<RaftServer.Division> division) {
        this.selfId = selfId;
        this.division = division;
    }

    public String selfId() {
        return selfId;
    }

    public boolean isLeader() {
        final RaftServer.Division d = division.get();
        return d != null && d.getInfo().isLeader();
    }

    /** This member's current Raft term; 0 while the server is not running. */
    public long currentTerm() {
        final RaftServer.Division d = division.get();
        return d == null ? 0 : d.getInfo().getCurrentTerm();
    }

    /** The leader this member knows, or "" during an election. */
    public String leaderId() {
        final RaftServer.Division d = division.get();
        final RaftPeerId id = d == null ? null : d.getInfo().getLeaderId();
        return id == null ? "" : id.toString();
    }

    @Override
    public LeaderReadIndex.LeaderTerm currentLeaderTerm() {
        final RaftServer.Division d = division.get();
        if (d == null) {
            throw new NoReadIndexException(NoReadIndexException.Reason.NOT_LEADER, selfId + " is not running", null);
        }
        final DivisionInfo info = d.getInfo();
        final long term = info.getCurrentTerm();
        if (!info.isLeader()) {
            throw new NoReadIndexException(NoReadIndexException.Reason.NOT_LEADER, selfId + " is not the leader"
                + (leaderId().isEmpty() ? " and knows none" : "; the leader is " + leaderId()), leaderId());
        }
        if (!info.isLeaderReady()) {
            throw new NoReadIndexException(NoReadIndexException.Reason.LEADER_NOT_READY, "leader " + selfId
                + " has not yet applied its first entry of term " + term, selfId);
        }
        final long commitIndex = d.getRaftLog().getLastCommittedIndex();
        if (info.getCurrentTerm() != term || !info.isLeader()) { // the term moved while we read the index
            throw new NoReadIndexException(NoReadIndexException.Reason.NOT_LEADER, selfId + " lost leadership of term "
                + term, null);
        }
        final RaftConfiguration conf = d.getRaftConf();
        final Map<String, String> addresses = new LinkedHashMap<>();
        for (final RaftPeer p : conf.getAllPeers()) {
            if (p.getDataStreamAddress() != null) {
                addresses.put(p.getId().toString(), p.getDataStreamAddress());
            }
        }
        return new LeaderReadIndex.LeaderTerm(selfId, term, commitIndex,
            ReadQuorum.of(ids(conf.getCurrentPeers()), ids(conf.getPreviousPeers())), addresses);
    }

    @Override
    public FollowerReadIndex.Leader leader() {
        final RaftServer.Division d = division.get();
        final RaftPeerId id = d == null ? null : d.getInfo().getLeaderId();
        final RaftPeer peer = id == null ? null : d.getRaftConf().getPeer(id);
        return peer == null || peer.getDataStreamAddress() == null ? null
            : new FollowerReadIndex.Leader(id.toString(), peer.getDataStreamAddress());
    }

    private static java.util.List<String> ids(final Collection<RaftPeer> peers) {
        return peers.stream().map(p -> p.getId().toString()).toList();
    }
}

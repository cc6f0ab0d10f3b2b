package io.duetdb.client;

/**
 * A member of the cluster.
 *
 * @param id            its member id
 * @param peerAddress   host:port of its Raft (peer) port
 * @param clientAddress host:port of its client (API) port, as the member advertises it
 * @param leader        whether it leads, in the view of the member that answered
 */
public record Member(String id, String peerAddress, String clientAddress, boolean leader) {
    static Member of(final io.duetdb.api.v1.Member m) {
        return new Member(m.getId(), m.getPeerAddress(), m.getClientAddress(), m.getIsLeader());
    }
}

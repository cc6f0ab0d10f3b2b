package io.duetdb.client;

import io.duetdb.api.v1.ResponseHeader;

/**
 * What every reply carries.
 *
 * @param revision  the store revision the request was served at; for a write, the write's own
 *                  revision (for a duplicate, the revision of the original write)
 * @param memberId  the member that served the request
 * @param raftTerm  that member's Raft term
 * @param clusterId the cluster (Raft group) id, equal on every member of one cluster
 */
public record Header(long revision, String memberId, long raftTerm, String clusterId) {
    static Header of(final ResponseHeader h) {
        return new Header(h.getRevision(), h.getMemberId(), h.getRaftTerm(), h.getClusterId());
    }
}

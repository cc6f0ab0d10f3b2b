package io.duetdb.server.api;

import io.duetdb.api.v1.ResponseHeader;
import io.duetdb.server.DuetNode;
import java.io.IOException;

/** The header every response carries: cluster id, member id, revision, Raft term. */
final class Headers {
    private Headers() {
    }

    /** A header at {@code revision} (for writes: the write's revision). */
    static ResponseHeader at(final DuetNode node, final long revision) {
        long term = 0;
        try {
            term = node.division().getInfo().getCurrentTerm();
        } catch (final IOException e) {
            // the division is not up yet: the term is informational, leave 0
        }
        return ResponseHeader.newBuilder().setClusterId(node.config().groupId().toString())
            .setMemberId(node.config().id()).setRevision(revision).setRaftTerm(term).build();
    }

    /** A header at this node's current applied revision. */
    static ResponseHeader current(final DuetNode node) {
        return at(node, node.stateMachine().readTable(t -> t.lastAppliedRevision()));
    }
}

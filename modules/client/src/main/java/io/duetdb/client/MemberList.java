package io.duetdb.client;

import io.duetdb.api.v1.MemberListResponse;
import java.util.List;
import java.util.Optional;

/**
 * The members of the cluster.
 *
 * @param header  the reply's header
 * @param members the voting members
 */
public record MemberList(Header header, List<Member> members) {
    public MemberList {
        members = List.copyOf(members);
    }

    static MemberList of(final MemberListResponse r) {
        return new MemberList(Header.of(r.getHeader()), r.getMembersList().stream().map(Member::of).toList());
    }

    /** The leader, if the answering member knew one. */
    public Optional<Member> leader() {
        return members.stream().filter(Member::leader).findFirst();
    }

    /** The member with this id, if any. */
    public Optional<Member> member(final String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }
}

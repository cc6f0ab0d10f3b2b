package io.duetdb.server.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LeaderReadIndexTest {
    private static final long TERM = 7;
    private static final long COMMIT = 42;

    private final Map<String, CompletableFuture<Long>> asked = new HashMap<>();
    private final LeaderReadIndex.TermProbe probe = (member, address, term) -> {
        assertEquals(TERM, term, "members are asked about the leader's term");
        final CompletableFuture<Long> f = new CompletableFuture<>();
        asked.put(member, f);
        return f;
    };

    private static LeaderReadIndex.LeaderView leader(final List<String> current, final List<String> previous) {
        final Map<String, String> addresses = new HashMap<>();
        for (final String m : current) {
            addresses.put(m, m + ":1");
        }
        for (final String m : previous) {
            addresses.put(m, m + ":1");
        }
        return () -> new LeaderReadIndex.LeaderTerm("a", TERM, COMMIT, ReadQuorum.of(current, previous), addresses);
    }

    private static NoReadIndexException.Reason reasonOf(final CompletableFuture<Long> f) {
        assertTrue(f.isCompletedExceptionally(), "the read index must be refused");
        return NoReadIndexException.reasonOf(f.handle((v, e) -> e).join());
    }

    @Test
    void theCommitIndexIsGivenOnceAMajorityIsInTheLeadersTerm() {
        final CompletableFuture<Long> index = new LeaderReadIndex(leader(List.of("a", "b", "c"), List.of()), probe, true)
            .confirmRound();
        assertEquals(Map.of("b", true, "c", true), Map.of("b", asked.containsKey("b"), "c", asked.containsKey("c")));
        assertFalse(asked.containsKey("a"), "the leader counts itself without asking");
        assertFalse(index.isDone(), "the leader alone is not a majority");
        asked.get("c").complete(TERM);
        assertEquals(COMMIT, index.join());
    }

    @Test
    void aMemberInANewerTermRefusesTheReadAtOnce() {
        final CompletableFuture<Long> index = new LeaderReadIndex(leader(List.of("a", "b", "c"), List.of()), probe, true)
            .confirmRound();
        asked.get("b").complete(TERM + 1);
        assertEquals(NoReadIndexException.Reason.DEPOSED, reasonOf(index));
        asked.get("c").complete(TERM); // a late acknowledgement changes nothing
        assertEquals(NoReadIndexException.Reason.DEPOSED, reasonOf(index));
    }

    @Test
    void aLostMajorityRefusesTheRead() {
        final CompletableFuture<Long> index = new LeaderReadIndex(leader(List.of("a", "b", "c"), List.of()), probe, true)
            .confirmRound();
        asked.get("b").completeExceptionally(new RuntimeException("DEADLINE_EXCEEDED"));
        assertFalse(index.isDone(), "c may still answer");
        asked.get("c").complete(TERM - 1); // behind: has not heard of this term, so it does not count
        assertEquals(NoReadIndexException.Reason.NO_MAJORITY, reasonOf(index));
    }

    @Test
    void aJointConfigurationWaitsForAMajorityOfBoth() {
        // a leads {a,b,c} -> {a,d,e}
        final CompletableFuture<Long> index = new LeaderReadIndex(leader(List.of("a", "d", "e"), List.of("a", "b", "c")),
            probe, true).confirmRound();
        asked.get("b").complete(TERM);
        assertFalse(index.isDone(), "the old configuration agrees, the new one not yet");
        asked.get("c").complete(TERM);
        assertFalse(index.isDone());
        asked.get("d").complete(TERM);
        assertEquals(COMMIT, index.join());
    }

    @Test
    void aSingleMemberClusterNeedsNoQuestion() {
        assertEquals(COMMIT, new LeaderReadIndex(leader(List.of("a"), List.of()), probe, true).confirmRound().join());
        assertTrue(asked.isEmpty());
    }

    @Test
    void aNodeThatCannotLeadGivesNoIndex() {
        final LeaderReadIndex.LeaderView notLeader = () -> {
            throw new NoReadIndexException(NoReadIndexException.Reason.NOT_LEADER, "a is not the leader", "b");
        };
        assertEquals(NoReadIndexException.Reason.NOT_LEADER,
            reasonOf(new LeaderReadIndex(notLeader, probe, true).confirmRound()));
    }

    @Test
    void theUnsafeTestingModeAsksNobody() {
        assertEquals(COMMIT, new LeaderReadIndex(leader(List.of("a", "b", "c"), List.of()), probe, false)
            .confirmRound().join());
        assertTrue(asked.isEmpty(), "unconfirmed-read-index is what the Jepsen checker must catch");
    }
}

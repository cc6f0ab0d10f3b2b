package io.duetdb.server.read;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadQuorumTest {
    @Test
    void aMajorityOfTheCurrentConfiguration() {
        final ReadQuorum q = ReadQuorum.of(List.of("a", "b", "c"), List.of());
        assertFalse(q.isReachedBy(Set.of("a")));
        assertTrue(q.isReachedBy(Set.of("a", "b")));
        assertFalse(q.isReachedBy(Set.of("a", "x", "y")), "non-voters do not count");
        assertFalse(q.isLostBy(Set.of("c")));
        assertTrue(q.isLostBy(Set.of("b", "c")));
    }

    @Test
    void anEvenConfigurationNeedsMoreThanHalf() {
        final ReadQuorum q = ReadQuorum.of(List.of("a", "b", "c", "d"), List.of());
        assertFalse(q.isReachedBy(Set.of("a", "b")), "two of four is not a majority");
        assertTrue(q.isReachedBy(Set.of("a", "b", "c")));
        assertTrue(q.isLostBy(Set.of("c", "d")), "with two of four out, three can no longer answer");
    }

    @Test
    void aJointConfigurationNeedsAMajorityOfEach() {
        // Changing {a,b,c} into {c,d,e}: during the change both must agree.
        final ReadQuorum q = ReadQuorum.of(List.of("c", "d", "e"), List.of("a", "b", "c"));
        assertFalse(q.isReachedBy(Set.of("a", "b")), "the old majority alone is not enough");
        assertFalse(q.isReachedBy(Set.of("d", "e")), "nor the new majority alone");
        assertTrue(q.isReachedBy(Set.of("a", "c", "d")));
        assertTrue(q.isReachedBy(Set.of("a", "b", "d", "e")));
        assertTrue(q.isLostBy(Set.of("a", "b")), "the old configuration can no longer agree");
        assertTrue(q.isLostBy(Set.of("d", "e")), "the new one can no longer agree");
        assertFalse(q.isLostBy(Set.of("a", "e")));
        assertTrue(q.voters().containsAll(Set.of("a", "b", "c", "d", "e")));
    }

    @Test
    void noVotersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReadQuorum.of(List.of(), List.of("a")));
    }
}

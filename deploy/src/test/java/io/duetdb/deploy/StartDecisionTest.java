package io.duetdb.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every row of the start rule, and when the other members are asked. */
class StartDecisionTest {
    private final List<List<String>> asked = new ArrayList<>();

    private Function<List<String>, Optional<String>> leader(final String answer) {
        return hosts -> {
            asked.add(hosts);
            return Optional.ofNullable(answer);
        };
    }

    private static PodIdentity pod(final int ordinal) {
        return PodIdentity.of("duet-" + ordinal, "duet-" + ordinal + ".duet-peers.ns.svc.cluster.local");
    }

    @Test
    void anEmptyInitialMemberBootstrapsWhenNoClusterAnswers() {
        final StartDecision d = StartDecision.decide(pod(1), 3, false, Optional.empty(), leader(null));
        assertEquals(StartMode.INITIAL, d.mode());
        assertEquals(List.of(List.of("duet-0.duet-peers.ns.svc.cluster.local", "duet-2.duet-peers.ns.svc.cluster.local")),
            asked);
    }

    @Test
    void anEmptyInitialMemberJoinsARunningCluster() {
        final StartDecision d = StartDecision.decide(pod(1), 3, false, Optional.empty(), leader("duet-0 knows duet-2"));
        assertEquals(StartMode.JOIN, d.mode());
        assertTrue(d.reason().contains("duet-0 knows duet-2") && d.reason().contains("member add"), d.reason());
    }

    @Test
    void anEmptyMemberBeyondTheInitialSizeJoinsWithoutAsking() {
        assertEquals(StartMode.JOIN, StartDecision.decide(pod(3), 3, false, Optional.empty(), leader(null)).mode());
        assertEquals(List.of(), asked);
    }

    @Test
    void aSingleInitialMemberHasNobodyToAsk() {
        assertEquals(StartMode.INITIAL, StartDecision.decide(pod(0), 1, false, Optional.empty(), leader("x")).mode());
        assertEquals(List.of(), asked);
    }

    @Test
    void anEmptyDirectoryIgnoresAStaleMarker() {
        // decide() is given no marker for an empty directory; the caller (ContainerMain) reads it only with state
        assertEquals(StartMode.JOIN, StartDecision.decide(pod(0), 3, false, Optional.empty(), leader("duet-1")).mode());
    }

    @ParameterizedTest(name = "ordinal {0}, marker {1} -> {2}")
    @CsvSource({"0, initial, INITIAL", "0, join, JOIN", "4, initial, INITIAL", "4, join, JOIN",
        "0, '', INITIAL", "2, '', INITIAL", "3, '', JOIN"})
    void aDirectoryWithStateKeepsItsModeAndNeverAsks(final int ordinal, final String marker, final StartMode expected) {
        final StartDecision d = StartDecision.decide(pod(ordinal), 3, true, StartMode.ofCode(marker), leader("duet-0"));
        assertEquals(expected, d.mode());
        assertEquals(List.of(), asked);
        assertFalse(d.reason().isBlank());
    }
}

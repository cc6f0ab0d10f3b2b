package io.duetdb.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up probe against a real member, and against members that are not there. */
class LeaderProbeTest {
    @Test
    void findsTheLeaderOfARunningCluster(@TempDir final Path dir) throws Exception {
        try (SingleNode node = SingleNode.start(dir)) {
            node.await("/readyz", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            final Optional<String> leader = new LeaderProbe(node.clientPort, NodeConfig.Tls.OFF)
                .apply(List.of("127.0.0.1"));
            assertTrue(leader.isPresent() && leader.get().contains("knows leader n1"), leader::toString);
        }
    }

    @Test
    void membersThatDoNotAnswerOrDoNotResolveKnowNoLeader() {
        final long start = System.nanoTime();
        final Optional<String> leader = new LeaderProbe(1, NodeConfig.Tls.OFF)
            .apply(List.of("127.0.0.1", "duet-9.no-such-service.invalid"));
        assertEquals(Optional.empty(), leader);
        final Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(LeaderProbe.ANSWER_TIMEOUT.multipliedBy(3)) < 0, "the probe took " + took);
    }
}

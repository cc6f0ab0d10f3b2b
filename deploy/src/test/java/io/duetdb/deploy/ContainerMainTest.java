package io.duetdb.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.server.config.ConfigLoader;
import io.duetdb.server.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher end to end, short of starting the node: environment in, the node's configuration out. */
class ContainerMainTest {
    @TempDir
    Path volume;

    private final AtomicInteger probes = new AtomicInteger();

    private Map<String, String> podEnv(final int ordinal) {
        final Map<String, String> env = new HashMap<>();
        env.put("DUET_ID", "duet-" + ordinal);
        env.put("DUET_HOST", "duet-" + ordinal + ".duet-peers.db.svc.cluster.local");
        env.put("DUET_LISTEN_HOST", "0.0.0.0");
        env.put("DUET_PEER_PORT", "7001");
        env.put("DUET_CLIENT_PORT", "2379");
        env.put("DUET_DATA_DIR", volume.resolve("data").toString());
        env.put(ContainerMain.INITIAL_MEMBERS_ENV, "3");
        env.put("DUET_SERVICE_PORT_CLIENT", "2379"); // what Kubernetes injects: ignored
        return env;
    }

    private Function<List<String>, Optional<String>> leader(final String answer) {
        return hosts -> {
            probes.incrementAndGet();
            return Optional.ofNullable(answer);
        };
    }

    private NodeConfig start(final Map<String, String> env, final Function<List<String>, Optional<String>> probe)
        throws IOException {
        final String[] args = {"--admin-port", "9090"};
        final List<String> planned = ContainerMain.plan(args, env, ContainerMain.resolve(args, env), probe);
        assertEquals(List.of("--admin-port", "9090"), planned.subList(0, 2), "the pod's own arguments come first");
        return ConfigLoader.load(planned.toArray(String[]::new), env);
    }

    @Test
    void aFirstStartBootstrapsWithEveryInitialMemberAndRemembersIt() throws IOException {
        final NodeConfig node = start(podEnv(1), leader(null));
        assertFalse(node.join());
        assertEquals(List.of("duet-0=duet-0.duet-peers.db.svc.cluster.local:7001:2379",
                "duet-1=duet-1.duet-peers.db.svc.cluster.local:7001:2379",
                "duet-2=duet-2.duet-peers.db.svc.cluster.local:7001:2379"),
            node.members().stream().map(NodeConfig.Member::toString).toList());
        assertEquals(9090, node.adminPort());
        assertEquals(Optional.of(StartMode.INITIAL), DataDir.readMarker(volume.resolve("data")));
        assertEquals(1, probes.get());
    }

    @Test
    void aMemberThatJoinedKeepsJoiningAfterItsStorageExists() throws IOException {
        assertTrue(start(podEnv(1), leader("duet-0 knows duet-2")).join());
        Files.createDirectories(volume.resolve("data/raft/some-group")); // the node ran, not yet added
        final NodeConfig restarted = start(podEnv(1), leader(null));
        assertTrue(restarted.join(), "a joining member must not bootstrap with the initial members on restart");
        assertEquals(List.of("duet-0", "duet-2"), restarted.members().stream().map(NodeConfig.Member::id).toList());
        assertEquals(1, probes.get(), "a member with state never asks");
    }

    @Test
    void aBootstrappedMemberRestartsAsOne() throws IOException {
        start(podEnv(0), leader(null));
        Files.createDirectories(volume.resolve("data/raft/some-group"));
        assertFalse(start(podEnv(0), leader("duet-1 knows duet-2")).join());
    }

    @Test
    void aWipedMemberDecidesAgain() throws IOException {
        start(podEnv(2), leader(null));
        Files.createDirectories(volume.resolve("data/raft/some-group"));
        deleteContents(volume.resolve("data"));
        assertTrue(start(podEnv(2), leader("duet-0 knows duet-0")).join(), "the cluster runs: the wiped member joins");
        assertEquals(Optional.of(StartMode.JOIN), DataDir.readMarker(volume.resolve("data")));
    }

    @Test
    void aScaleUpPodJoinsListingTheInitialMembers() throws IOException {
        final NodeConfig node = start(podEnv(3), leader("unused"));
        assertTrue(node.join());
        assertEquals(List.of("duet-0", "duet-1", "duet-2"), node.members().stream().map(NodeConfig.Member::id).toList());
        assertEquals(0, probes.get());
    }

    @Test
    void membershipSettingsAreNotTakenFromThePod() {
        final Map<String, String> env = podEnv(0);
        assertThrows(IllegalArgumentException.class,
            () -> ContainerMain.resolve(new String[] {"--members", "a=b:1:2"}, env));
        assertThrows(IllegalArgumentException.class, () -> ContainerMain.resolve(new String[] {"--join"}, env));
        env.put("DUET_MEMBERS", "a=b:1:2");
        assertThrows(IllegalArgumentException.class, () -> ContainerMain.resolve(new String[0], env));
    }

    @Test
    void badInitialMemberCountsAndIdentitiesAreRefused() {
        for (final String bad : List.of("three", "0", "16", "")) {
            final Map<String, String> env = podEnv(0);
            env.put(ContainerMain.INITIAL_MEMBERS_ENV, bad);
            assertThrows(IllegalArgumentException.class, () -> start(env, leader(null)), bad);
        }
        final Map<String, String> env = podEnv(0);
        env.put("DUET_HOST", "10.1.2.3");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(env, leader(null)));
        assertTrue(e.getMessage().contains("DUET_HOST"), e.getMessage());
    }

    private static void deleteContents(final Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}

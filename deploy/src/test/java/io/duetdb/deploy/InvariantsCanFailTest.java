package io.duetdb.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks catch what they are there to catch: each case breaks one thing in a good rendering (the
 * dev overlay, or production for TLS) and expects the violation that names it.
 */
class InvariantsCanFailTest {
    private static String dev;
    private static String production;

    @BeforeAll
    static void render() throws Exception {
        dev = Tools.kustomize(Tools.DEPLOY_DIR.resolve("kubernetes/overlays/dev"));
        production = Tools.kustomize(Tools.DEPLOY_DIR.resolve("kubernetes/overlays/production"));
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
            breaks("replicas raised without the initial member count", false,
                o -> sts(o).getSpec().setReplicas(5), "computes 3 members for 5 replicas"),
            breaks("an even member count", false, o -> {
                sts(o).getSpec().setReplicas(4);
                env(o, "DUET_K8S_INITIAL_MEMBERS", "4");
            }, "replicas 4 is even"),
            breaks("readiness probe on the Raft port", false,
                o -> duet(o).getReadinessProbe().getGrpc().setPort(7001), "is not the node's client-port 2379"),
            breaks("liveness probe on an undeclared port", false,
                o -> duet(o).getLivenessProbe().getHttpGet().setPort(new IntOrString(9091)),
                "is not a declared container port"),
            breaks("liveness through the gRPC health service", false, o -> {
                duet(o).getLivenessProbe().setHttpGet(null);
                duet(o).getLivenessProbe().setGrpc(duet(o).getReadinessProbe().getGrpc());
            }, "liveness must be /livez"),
            breaks("the client port moved but not the probe", false,
                o -> env(o, "DUET_CLIENT_PORT", "2380"), "is not the node's client-port 2380"),
            breaks("members addressed through the wrong Service", false,
                o -> env(o, "DUET_HOST", "$(POD_NAME).duet.$(POD_NAMESPACE).svc.cluster.local"), "is not pod duet-0 at"),
            breaks("a node id that is not the pod name", false,
                o -> env(o, "DUET_ID", "node-$(POD_NAME)"), "is not the pod's stable DNS name"),
            breaks("PDB selecting other pods", false,
                o -> pdb(o).getSpec().getSelector().setMatchLabels(Map.of("app.kubernetes.io/name", "other")),
                "expected one PodDisruptionBudget selecting the pods, found 0"),
            breaks("PDB allowing two members down", false,
                o -> pdb(o).getSpec().setMaxUnavailable(new IntOrString(2)), "maxUnavailable: 1"),
            breaks("a heap as large as the memory limit", false,
                o -> env(o, "JAVA_OPTS", "-Xmx1g -XX:+ExitOnOutOfMemoryError"),
                "memory limit 1024 MiB does not hold the heap (1024 MiB)"),
            breaks("JVM options that let a member limp on out of heap", false,
                o -> env(o, "JAVA_OPTS", "-Xmx256m -XX:MaxDirectMemorySize=128m"), "lacks -XX:+ExitOnOutOfMemoryError"),
            breaks("a space quota the heap cannot hold", false,
                o -> env(o, "DUET_SPACE_QUOTA_BYTES", String.valueOf(900L << 20)), "does not fit this node's heap"),
            breaks("a container running as root", false,
                o -> duet(o).getSecurityContext().setRunAsUser(0L), "may run as root"),
            breaks("root allowed", false, o -> {
                duet(o).getSecurityContext().setRunAsNonRoot(null);
                sts(o).getSpec().getTemplate().getSpec().getSecurityContext().setRunAsNonRoot(false);
            }, "may run as root"),
            breaks("peers hidden until ready", false,
                o -> service(o, "duet-peers").getSpec().setPublishNotReadyAddresses(false), "must be headless"),
            breaks("client Service aimed at the Raft port", false,
                o -> service(o, "duet").getSpec().getPorts().get(0).setTargetPort(new IntOrString("peer")),
                "port client reaches container port 7001"),
            breaks("ordered pod management", false,
                o -> sts(o).getSpec().setPodManagementPolicy("OrderedReady"), "not Parallel"),
            breaks("no preStop hook", false, o -> duet(o).setLifecycle(null), "move-leader --away"),
            breaks("data outside the volume", false,
                o -> env(o, "DUET_DATA_DIR", "/tmp/data"), "is not on a volumeClaimTemplate's volume"),
            breaks("default PVC retention", false,
                o -> sts(o).getSpec().setPersistentVolumeClaimRetentionPolicy(null), "must be explicit"),
            breaks("gRPC readiness on a TLS port", true,
                o -> {
                    duet(o).getReadinessProbe().setHttpGet(null);
                    duet(o).getReadinessProbe().setGrpc(new io.kubernetes.client.openapi.models.V1GRPCAction().port(2379));
                }, "kubelet's gRPC probe speaks plaintext"),
            breaks("preStop without the TLS files", true,
                o -> duet(o).getLifecycle().getPreStop().getExec().setCommand(
                    List.of("sh", "-c", "exec duetctl --endpoints \"$DUET_HOST:$DUET_CLIENT_PORT\" move-leader --away")),
                "does not pass the TLS files"),
            breaks("readiness on /livez", true,
                o -> duet(o).getReadinessProbe()
                    .setHttpGet(new V1HTTPGetAction().path("/livez").port(new IntOrString(9090))),
                "readiness must be"));
    }

    private static Arguments breaks(final String what, final boolean tls, final Consumer<List<Object>> change,
                                    final String expected) {
        return Arguments.of(what, tls, change, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void reportsTheBreakage(final String what, final boolean tls, final Consumer<List<Object>> change,
                            final String expected, @TempDir final Path scratch) throws IOException {
        final List<Object> good = Manifests.loadStrict(tls ? production : dev);
        assertEquals(List.of(), ManifestInvariants.check(good, scratch), "the unbroken rendering must pass");

        final List<Object> broken = Manifests.loadStrict(tls ? production : dev);
        change.accept(broken);
        final List<String> violations = ManifestInvariants.check(broken, scratch);
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)),
            what + ": expected a violation containing '" + expected + "', got " + violations);
    }

    @Test
    void strictLoadingRefusesUnknownFieldsAndWrongTypes() {
        final String unknownField = dev.replace("      - env:", "      - bogusField: 1\n        env:");
        final IOException unknown = assertThrows(IOException.class, () -> Manifests.loadStrict(unknownField));
        assertTrue(unknown.getMessage().contains("Unable to find property 'bogusField'"), unknown::getMessage);

        final String wrongType = dev.replace("  replicas: 3", "  replicas: three");
        assertTrue(!wrongType.equals(dev));
        final IOException type = assertThrows(IOException.class, () -> Manifests.loadStrict(wrongType));
        assertTrue(type.getMessage().contains("three"), type::getMessage);

        final String unknownKind = dev.replace("kind: PodDisruptionBudget", "kind: PodDisruptionBudgett");
        assertThrows(IOException.class, () -> Manifests.loadStrict(unknownKind));
    }

    // ---- accessors into a loaded rendering ----------------------------------------------------------

    static V1StatefulSet sts(final List<Object> objects) {
        return Manifests.statefulSet(objects);
    }

    static V1Container duet(final List<Object> objects) {
        return sts(objects).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static V1PodDisruptionBudget pdb(final List<Object> objects) {
        return objects.stream().filter(V1PodDisruptionBudget.class::isInstance).map(V1PodDisruptionBudget.class::cast)
            .findFirst().orElseThrow();
    }

    static V1Service service(final List<Object> objects, final String name) {
        return objects.stream().filter(V1Service.class::isInstance).map(V1Service.class::cast)
            .filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    /** Sets a variable of the duet container, adding it when the rendering has none. */
    static void env(final List<Object> objects, final String name, final String value) {
        final V1EnvVar v = duet(objects).getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
            .orElseGet(() -> {
                final V1EnvVar added = new V1EnvVar().name(name);
                duet(objects).getEnv().add(added);
                return added;
            });
        v.setValue(value);
    }
}

package io.duetdb.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kustomization renders, parses strictly against the Kubernetes schemas, and keeps the invariants. */
class KustomizeManifestsTest {
    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
    void rendersStrictlyValidManifestsThatKeepTheInvariants(final String kustomization, @TempDir final Path scratch)
        throws Exception {
        final String yaml = Tools.kustomize(Tools.DEPLOY_DIR.resolve("kubernetes").resolve(kustomization));
        final List<Object> objects = Manifests.loadStrict(yaml);

        assertEquals(List.of("ServiceAccount/duet", "ConfigMap/duet-config", "Service/duet", "Service/duet-peers",
                "StatefulSet/duet", "PodDisruptionBudget/duet"),
            Manifests.kindsAndNames(objects).stream().map(n -> n.replaceAll("^(ConfigMap/duet-config)-\\w+$", "$1"))
                .toList());
        assertEquals(List.of(), ManifestInvariants.check(objects, scratch));
    }

    @Test
    void theMonitoringKustomizationRendersTheDashboardAndRulesAsConfigMaps() throws Exception {
        final List<Object> objects = Manifests.loadStrict(Tools.kustomize(Tools.DEPLOY_DIR.resolve("monitoring")));
        assertEquals(List.of("ConfigMap/duet-grafana-dashboard", "ConfigMap/duet-prometheus-rules"),
            Manifests.kindsAndNames(objects));
        final V1ConfigMap dashboard = (V1ConfigMap) objects.get(0);
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals(Files.readString(Tools.DEPLOY_DIR.resolve("monitoring/grafana-dashboard.json")),
            dashboard.getData().get("duet.json"));
    }

    @Test
    void theBackupAndRestoreExamplesAreStrictlyValidAndRunAsNonRoot() throws Exception {
        final List<V1PodSpec> pods = new ArrayList<>();
        try (Stream<Path> files = Files.list(Tools.DEPLOY_DIR.resolve("kubernetes/examples"))) {
            for (final Path f : files.sorted().toList()) {
                for (final Object o : Manifests.loadStrict(Files.readString(f))) {
                    if (o instanceof V1CronJob job) {
                        pods.add(job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
                    } else if (o instanceof V1Pod pod) {
                        pods.add(pod.getSpec());
                    }
                }
            }
        }
        assertEquals(2, pods.size());
        for (final V1PodSpec pod : pods) {
            assertEquals(List.of(), ManifestInvariants.securityViolations(pod));
            assertTrue(pod.getContainers().get(0).getCommand().contains("duetctl"));
        }
    }
}

package io.duetdb.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart lints strictly, renders strictly valid manifests that keep the invariants, refuses bad
 * values through its schema, and renders the same resources as the kustomizations.
 */
class HelmChartTest {
    private static final String PRODUCTION_VALUES = Tools.DEPLOY_DIR.resolve("helm/duet/ci/production-values.yaml")
        .toString();

    @Test
    void lintsStrictly() throws Exception {
        Tools.succeed(Tools.helmCommand("lint", null, "--strict"));
        Tools.succeed(Tools.helmCommand("lint", null, "--strict", "-f", PRODUCTION_VALUES));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"default values, duet-dev, ''", "production values, duet, production"})
    void rendersStrictlyValidManifestsThatKeepTheInvariants(final String name, final String namespace,
                                                           final String values, @TempDir final Path scratch)
        throws Exception {
        final List<Object> objects = Manifests.loadStrict(render(namespace, values));
        assertEquals(List.of("ConfigMap/duet-config", "PodDisruptionBudget/duet", "Service/duet", "Service/duet-peers",
            "ServiceAccount/duet", "StatefulSet/duet"), Manifests.kindsAndNames(objects).stream().sorted().toList());
        assertEquals(List.of(), ManifestInvariants.check(objects, scratch));
    }

    @Test
    void namesFollowTheReleaseAndStillKeepTheInvariants(@TempDir final Path scratch) throws Exception {
        final String yaml = Tools.succeed(List.of(Tools.helm().toString(), "template", "orders",
            Tools.DEPLOY_DIR.resolve("helm/duet").toString(), "--namespace", "shop", "--set", "replicas=5"));
        final List<Object> objects = Manifests.loadStrict(yaml);
        assertTrue(Manifests.kindsAndNames(objects).containsAll(List.of("StatefulSet/orders-duet",
            "Service/orders-duet-peers", "Service/orders-duet")), Manifests.kindsAndNames(objects)::toString);
        assertEquals(List.of(), ManifestInvariants.check(objects, scratch));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "replicas=4 | replicas: Must not validate the schema",
        "replicas=0 | replicas: Must be greater than or equal to 1",
        "bogus=1 | Additional property bogus is not allowed",
        "config.members=x | config: Property name of \"members\" does not match",
        "tls.clientAuth=maybe | tls.clientAuth: tls.clientAuth must be one of the following",
        "persistence.retention.whenScaled=Keep | whenScaled must be one of the following",
        "ports.client=70000 | ports.client: Must be less than or equal to 65535"})
    void schemaRefusesBadValues(final String setting, final String message) throws Exception {
        final Tools.Result r = Tools.run(Tools.helmCommand("template", "duet", "--set", setting), null);
        assertNotEquals(0, r.exit(), setting + " was accepted");
        assertTrue(r.err().contains(message), "helm said: " + r.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"base, default, ''", "overlays/production, duet, production"})
    void rendersWhatTheKustomizationRenders(final String kustomization, final String namespace, final String values)
        throws Exception {
        final List<Object> fromKustomize = Manifests.loadStrict(
            Tools.kustomize(Tools.DEPLOY_DIR.resolve("kubernetes").resolve(kustomization)));
        final List<Object> fromHelm = Manifests.loadStrict(render(namespace, values));
        assertEquals(essentials(fromKustomize), essentials(fromHelm));
    }

    private static String render(final String namespace, final String values) throws Exception {
        return values.isEmpty() ? Tools.helmTemplate(namespace) : Tools.helmTemplate(namespace, "-f", PRODUCTION_VALUES);
    }

    /** What must agree between two renderings; names that carry hashes or chart metadata are left out. */
    private static Map<String, Object> essentials(final List<Object> objects) {
        final Map<String, Object> e = new LinkedHashMap<>();
        final V1StatefulSet sts = Manifests.statefulSet(objects);
        final V1PodSpec pod = sts.getSpec().getTemplate().getSpec();
        final V1Container c = pod.getContainers().get(0);
        e.put("namespace", sts.getMetadata().getNamespace() == null ? "default" : sts.getMetadata().getNamespace());
        e.put("replicas", sts.getSpec().getReplicas());
        e.put("serviceName", sts.getSpec().getServiceName());
        e.put("podManagementPolicy", sts.getSpec().getPodManagementPolicy());
        e.put("minReadySeconds", sts.getSpec().getMinReadySeconds());
        e.put("retention", sts.getSpec().getPersistentVolumeClaimRetentionPolicy());
        e.put("selector", sts.getSpec().getSelector());
        e.put("podLabels", sts.getSpec().getTemplate().getMetadata().getLabels());
        e.put("claims", sts.getSpec().getVolumeClaimTemplates());
        e.put("podSecurityContext", pod.getSecurityContext());
        e.put("affinity", pod.getAffinity());
        e.put("topologySpread", pod.getTopologySpreadConstraints());
        e.put("grace", pod.getTerminationGracePeriodSeconds());
        e.put("token", pod.getAutomountServiceAccountToken());
        e.put("serviceLinks", pod.getEnableServiceLinks());
        e.put("image", c.getImage());
        e.put("ports", c.getPorts());
        final Map<String, Object> env = new TreeMap<>();
        for (final V1EnvVar v : c.getEnv()) {
            env.put(v.getName(), v.getValue() != null ? v.getValue() : v.getValueFrom());
        }
        e.put("env", env);
        e.put("readiness", c.getReadinessProbe());
        e.put("liveness", c.getLivenessProbe());
        e.put("startup", c.getStartupProbe());
        e.put("preStop", c.getLifecycle());
        e.put("resources", c.getResources());
        e.put("securityContext", c.getSecurityContext());
        final List<V1VolumeMount> mounts = new ArrayList<>(c.getVolumeMounts());
        mounts.sort(Comparator.comparing(V1VolumeMount::getMountPath));
        e.put("mounts", mounts);
        final Map<String, String> volumes = new TreeMap<>();
        for (final V1Volume v : pod.getVolumes()) {
            volumes.put(v.getName(), v.getSecret() != null
                ? "secret " + v.getSecret().getSecretName() + " mode " + v.getSecret().getDefaultMode()
                : v.getConfigMap() != null ? "configMap" : String.valueOf(v.getEmptyDir()));
        }
        e.put("volumes", volumes);
        for (final Object o : objects) {
            if (o instanceof V1Service s) {
                e.put("service " + s.getMetadata().getName(), List.of(String.valueOf(s.getSpec().getClusterIP()),
                    String.valueOf(s.getSpec().getPublishNotReadyAddresses()), s.getSpec().getPorts(),
                    s.getSpec().getSelector()));
            } else if (o instanceof V1PodDisruptionBudget b) {
                e.put("pdb " + b.getMetadata().getName(), b.getSpec());
            }
        }
        return e;
    }
}

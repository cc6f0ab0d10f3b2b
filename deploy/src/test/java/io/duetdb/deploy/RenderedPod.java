package io.duetdb.deploy;

import io.duetdb.server.config.ConfigLoader;
import io.duetdb.server.config.NodeConfig;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pod of a rendered StatefulSet as its node would see itself: the container's environment (as
 * kubelet builds it), run through the image's launcher ({@link ContainerMain}) on an empty data
 * directory with no cluster answering, then through the server's own configuration loader. Files
 * the environment names (the ConfigMap's duet.yaml, TLS files from a Secret) must be files of
 * volumes the container mounts; here they are copied or stood in for under {@code scratch}.
 *
 * @param env        the environment kubelet would give the container
 * @param config     the node's configuration, members and join included (the space quota resolved
 *                   against this JVM's heap, not the pod's: {@code configYaml} and {@code env} hold
 *                   the setting itself)
 * @param configYaml the ConfigMap's duet.yaml the container reads, or empty
 */
record RenderedPod(Map<String, String> env, NodeConfig config, String configYaml) {
    /** Why a pod cannot be rendered into a node configuration. */
    static final class Unstartable extends Exception {
        Unstartable(final String message) {
            super(message);
        }
    }

    static RenderedPod of(final V1StatefulSet sts, final V1Container c, final List<V1ConfigMap> configMaps,
                          final int ordinal, final Path scratch) throws Unstartable, IOException {
        final String namespace = Optional.ofNullable(sts.getMetadata().getNamespace()).orElse("default");
        final Map<String, String> env = PodEnvironment.of(c, sts.getMetadata().getName() + "-" + ordinal, namespace);
        final Map<String, String> local = new LinkedHashMap<>(env);
        final Path dir = Files.createTempDirectory(scratch, "pod-" + ordinal + "-");
        String yaml = "";
        if (env.containsKey("DUET_CONFIG")) {
            final Path copy = dir.resolve("duet.yaml");
            yaml = configMapFile(sts, c, configMaps, env.get("DUET_CONFIG"));
            Files.writeString(copy, yaml);
            local.put("DUET_CONFIG", copy.toString());
        }
        final String dataDir = env.get("DUET_DATA_DIR");
        if (dataDir == null || !onClaimTemplate(sts, c, dataDir)) {
            throw new Unstartable("DUET_DATA_DIR " + dataDir + " is not on a volumeClaimTemplate's volume: the data "
                + "would not survive the pod");
        }
        local.put("DUET_DATA_DIR", dir.resolve("data").toString());
        for (final String tlsFile : List.of("DUET_TLS_CERT_FILE", "DUET_TLS_KEY_FILE", "DUET_TLS_CA_FILE")) {
            if (env.containsKey(tlsFile)) {
                if (!"secret".equals(volumeKind(sts, c, env.get(tlsFile)))) {
                    throw new Unstartable(tlsFile + " " + env.get(tlsFile) + " is not a file of a mounted Secret");
                }
                final Path standIn = dir.resolve(tlsFile.toLowerCase());
                Files.writeString(standIn, "stand-in: the server only checks that it can read the file here\n");
                local.put(tlsFile, standIn.toString());
            }
        }
        final String[] args = c.getArgs() == null ? new String[0] : c.getArgs().toArray(String[]::new);
        try {
            final NodeConfig resolved = ContainerMain.resolve(args, local);
            final List<String> planned = ContainerMain.plan(args, local, resolved, hosts -> Optional.empty());
            return new RenderedPod(env, ConfigLoader.load(planned.toArray(String[]::new), local), yaml);
        } catch (final IllegalArgumentException e) {
            throw new Unstartable("pod " + ordinal + " would not start: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String configMapFile(final V1StatefulSet sts, final V1Container c, final List<V1ConfigMap> configMaps,
                                        final String path) throws Unstartable {
        final V1VolumeMount m = mountOf(c, path);
        final V1Volume v = m == null ? null : volume(sts, m.getName());
        if (v == null || v.getConfigMap() == null) {
            throw new Unstartable("DUET_CONFIG " + path + " is not a file of a mounted ConfigMap");
        }
        final String key = path.substring(m.getMountPath().length() + 1);
        for (final V1ConfigMap cm : configMaps) {
            if (cm.getMetadata().getName().equals(v.getConfigMap().getName()) && cm.getData() != null
                && cm.getData().containsKey(key)) {
                return cm.getData().get(key);
            }
        }
        throw new Unstartable("DUET_CONFIG " + path + ": ConfigMap " + v.getConfigMap().getName() + " has no key " + key);
    }

    private static boolean onClaimTemplate(final V1StatefulSet sts, final V1Container c, final String path) {
        final V1VolumeMount m = mountOf(c, path);
        if (m == null || sts.getSpec().getVolumeClaimTemplates() == null) {
            return false;
        }
        for (final V1PersistentVolumeClaim t : sts.getSpec().getVolumeClaimTemplates()) {
            if (t.getMetadata().getName().equals(m.getName())) {
                return true;
            }
        }
        return false;
    }

    private static String volumeKind(final V1StatefulSet sts, final V1Container c, final String path) {
        final V1VolumeMount m = mountOf(c, path);
        final V1Volume v = m == null ? null : volume(sts, m.getName());
        if (v == null) {
            return null;
        }
        return v.getSecret() != null ? "secret" : v.getConfigMap() != null ? "configMap" : "other";
    }

    /** The mount a file at {@code path} lives under (the deepest one), or null. */
    static V1VolumeMount mountOf(final V1Container c, final String path) {
        V1VolumeMount best = null;
        for (final V1VolumeMount m : c.getVolumeMounts() == null ? List.<V1VolumeMount>of() : c.getVolumeMounts()) {
            if (path.startsWith(m.getMountPath() + "/") && m.getSubPath() == null
                && (best == null || m.getMountPath().length() > best.getMountPath().length())) {
                best = m;
            }
        }
        return best;
    }

    private static V1Volume volume(final V1StatefulSet sts, final String name) {
        final List<V1Volume> volumes = sts.getSpec().getTemplate().getSpec().getVolumes();
        return volumes == null ? null : volumes.stream().filter(v -> v.getName().equals(name)).findFirst().orElse(null);
    }
}

package io.duetdb.deploy;

import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Rendered manifests, parsed strictly into the Kubernetes API's own types. */
final class Manifests {
    /** SnakeYAML warns about every x-kubernetes-* field of the CRD schema model while the loader warms up. */
    private static final Logger SNAKEYAML_LOG = Logger.getLogger("org.yaml.snakeyaml");

    static {
        SNAKEYAML_LOG.setLevel(Level.SEVERE);
    }

    private Manifests() {
    }

    /**
     * Every document of {@code yaml} as its API type. Fails on a kind the API does not know, on a field
     * the kind does not define (at any depth) and on a value of the wrong type.
     */
    static List<Object> loadStrict(final String yaml) throws IOException {
        try {
            return Yaml.loadAll(yaml);
        } catch (final RuntimeException e) {
            throw new IOException("not valid against the Kubernetes schemas: " + e.getMessage(), e);
        }
    }

    static V1StatefulSet statefulSet(final List<Object> objects) {
        return objects.stream().filter(V1StatefulSet.class::isInstance).map(V1StatefulSet.class::cast).findFirst()
            .orElseThrow(() -> new AssertionError("no StatefulSet rendered"));
    }

    /** "Kind/name" of each object, in order. */
    static List<String> kindsAndNames(final List<Object> objects) {
        return objects.stream().map(o -> {
            try {
                final Object meta = o.getClass().getMethod("getMetadata").invoke(o);
                final Object name = meta.getClass().getMethod("getName").invoke(meta);
                return o.getClass().getMethod("getKind").invoke(o) + "/" + name;
            } catch (final ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }
}

package io.duetdb.deploy;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's environment as kubelet hands it to a pod: {@code fieldRef}s to the pod's name and
 * namespace resolved, and {@code $(VAR)} references to earlier variables expanded ({@code $$} escapes,
 * unknown references stay as written). Other sources (Secrets, ConfigMap keys, resource fields) are
 * reported, not emulated.
 */
final class PodEnvironment {
    private PodEnvironment() {
    }

    static Map<String, String> of(final V1Container c, final String podName, final String namespace) {
        final Map<String, String> env = new LinkedHashMap<>();
        for (final V1EnvVar v : c.getEnv() == null ? List.<V1EnvVar>of() : c.getEnv()) {
            if (v.getValueFrom() == null) {
                env.put(v.getName(), expand(v.getValue() == null ? "" : v.getValue(), env));
            } else if (v.getValueFrom().getFieldRef() != null) {
                final String path = v.getValueFrom().getFieldRef().getFieldPath();
                switch (path) {
                    case "metadata.name" -> env.put(v.getName(), podName);
                    case "metadata.namespace" -> env.put(v.getName(), namespace);
                    default -> throw new IllegalArgumentException("env " + v.getName() + ": fieldRef " + path
                        + " is not emulated by the tests");
                }
            } else {
                throw new IllegalArgumentException("env " + v.getName() + ": only values and fieldRefs are emulated");
            }
        }
        return env;
    }

    /** Kubernetes' {@code $(VAR)} expansion against the variables defined so far. */
    static String expand(final String text, final Map<String, String> defined) {
        final StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            final char ch = text.charAt(i);
            if (ch == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (ch == '$' && i + 1 < text.length() && text.charAt(i + 1) == '(') {
                final int close = text.indexOf(')', i + 2);
                final String name = close < 0 ? null : text.substring(i + 2, close);
                if (name != null && defined.containsKey(name)) {
                    out.append(defined.get(name));
                    i = close + 1;
                } else {
                    out.append(ch);
                    i++;
                }
            } else {
                out.append(ch);
                i++;
            }
        }
        return out.toString();
    }
}

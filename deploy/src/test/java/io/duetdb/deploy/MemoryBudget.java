package io.duetdb.deploy;

import io.duetdb.server.config.SpaceQuotaSizing;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a rendered Duet container's memory adds up: the JVM options it runs with (its
 * {@code JAVA_OPTS}, or the image's defaults from deploy/image/bin/duet) give the heap and the
 * direct memory; the space quota ({@code DUET_SPACE_QUOTA_BYTES} or the ConfigMap's
 * {@code space-quota-bytes}, else {@code auto}) must fit that heap as the server would check it at
 * start; heap, direct memory and {@link #NON_HEAP_RESERVE_BYTES} must fit the memory limit; and a
 * JVM that still runs out of heap must exit ({@code -XX:+ExitOnOutOfMemoryError}) rather than limp
 * on with dead threads.
 */
final class MemoryBudget {
    /** Metaspace, code cache, thread stacks, GC structures and io_uring rings: measured well under this. */
    static final long NON_HEAP_RESERVE_BYTES = 192L << 20;
    /** The JVM's default heap without -Xmx or MaxRAMPercentage: a quarter of the container's memory. */
    private static final int JVM_DEFAULT_HEAP_PERCENT = 25;
    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)");
    private static final Pattern RAM_PERCENT = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");
    private static final Pattern DIRECT = Pattern.compile("-XX:MaxDirectMemorySize=(\\d+)([kKmMgG]?)");
    private static final Pattern IMAGE_DEFAULT = Pattern.compile("\\$\\{JAVA_OPTS:-([^}]*)}");
    private static final Pattern YAML_QUOTA = Pattern.compile("(?m)^\\s*space-quota-bytes:\\s*\"?([^\"\\s#]+)");

    private MemoryBudget() {
    }

    static List<String> violations(final V1Container c, final RenderedPod pod) throws IOException {
        final List<String> out = new ArrayList<>();
        final Quantity limitQuantity = c.getResources() == null || c.getResources().getLimits() == null ? null
            : c.getResources().getLimits().get("memory");
        if (limitQuantity == null) {
            return out; // checkResources reports a missing limit
        }
        final long limit = limitQuantity.getNumber().longValue();
        final String opts = pod.env().getOrDefault("JAVA_OPTS", imageDefaultJavaOpts());
        if (!opts.contains("-XX:+ExitOnOutOfMemoryError")) {
            out.add("JAVA_OPTS '" + opts + "' lacks -XX:+ExitOnOutOfMemoryError: a member out of heap would limp on");
        }
        final long heap = heapBytes(opts, limit);
        final Matcher direct = DIRECT.matcher(opts);
        final long directBytes = direct.find() ? bytes(direct.group(1), direct.group(2)) : heap;
        if (heap + directBytes + NON_HEAP_RESERVE_BYTES > limit) {
            out.add(String.format(Locale.ROOT, "memory limit %d MiB does not hold the heap (%d MiB), direct memory "
                + "(%d MiB) and %d MiB for the rest of the JVM", limit >> 20, heap >> 20, directBytes >> 20,
                NON_HEAP_RESERVE_BYTES >> 20));
        }
        final String quota = quotaSetting(pod);
        try {
            SpaceQuotaSizing.resolve(quota, heap);
        } catch (final IllegalArgumentException e) {
            out.add("the node would refuse to start: " + e.getMessage());
        }
        return out;
    }

    /** The heap the options give in a container with {@code limit} bytes of memory. */
    static long heapBytes(final String opts, final long limit) {
        final Matcher xmx = XMX.matcher(opts);
        if (xmx.find()) {
            return bytes(xmx.group(1), xmx.group(2));
        }
        final Matcher percent = RAM_PERCENT.matcher(opts);
        final double p = percent.find() ? Double.parseDouble(percent.group(1)) : JVM_DEFAULT_HEAP_PERCENT;
        return (long) (limit * p / 100);
    }

    private static String quotaSetting(final RenderedPod pod) {
        if (pod.env().containsKey("DUET_SPACE_QUOTA_BYTES")) {
            return pod.env().get("DUET_SPACE_QUOTA_BYTES");
        }
        final Matcher m = YAML_QUOTA.matcher(pod.configYaml());
        return m.find() ? m.group(1) : SpaceQuotaSizing.AUTO;
    }

    private static long bytes(final String number, final String unit) {
        final long n = Long.parseLong(number);
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /** The JVM options deploy/image/bin/duet uses when JAVA_OPTS is not set. */
    static String imageDefaultJavaOpts() throws IOException {
        final String script = Files.readString(Tools.DEPLOY_DIR.resolve("image/bin/duet"));
        final Matcher m = IMAGE_DEFAULT.matcher(script);
        if (!m.find()) {
            throw new IllegalStateException("deploy/image/bin/duet has no ${JAVA_OPTS:-...} default");
        }
        return m.group(1);
    }
}

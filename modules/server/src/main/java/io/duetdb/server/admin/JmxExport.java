package io.duetdb.server.admin;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Publishes a registry as MBeans in the platform MBean server, domain {@code duet}, one MBean per
 * registry name: {@code duet:node=<id>,type=counters|gauges|timers|...,name=<registry name>}. The
 * {@code node} key keeps several nodes in one JVM (tests) from colliding; a labelled name, with its
 * quotes and braces, is quoted whole. Rates are per second and durations in milliseconds, as JMX
 * consoles expect. Ratis can publish its own registries likewise with
 * {@code MetricRegistries.global().enableJmxReporter()}.
 */
public final class JmxExport {
    public static final String DOMAIN = "duet";

    private JmxExport() {
    }

    /** Starts the reporter; close it to unregister the MBeans. */
    public static JmxReporter start(final MetricRegistry registry, final String nodeId) {
        final JmxReporter reporter = JmxReporter.forRegistry(registry).inDomain(DOMAIN)
            .createsObjectNamesWith((type, domain, name) -> objectName(domain, nodeId, type, name))
            .convertRatesTo(TimeUnit.SECONDS).convertDurationsTo(TimeUnit.MILLISECONDS).build();
        reporter.start();
        return reporter;
    }

    static ObjectName objectName(final String domain, final String nodeId, final String type, final String name) {
        final Hashtable<String, String> keys = new Hashtable<>();
        keys.put("node", quoteIfNeeded(nodeId));
        keys.put("type", quoteIfNeeded(type));
        keys.put("name", quoteIfNeeded(name));
        try {
            return new ObjectName(domain, keys);
        } catch (final MalformedObjectNameException e) {
            throw new IllegalArgumentException("no JMX name for metric " + name + ": " + e.getMessage(), e);
        }
    }

    /** Values with characters special to ObjectName (or that would make it a pattern) are quoted. */
    private static String quoteIfNeeded(final String value) {
        for (int i = 0; i < value.length(); i++) {
            if (",=:\"*?\n\\".indexOf(value.charAt(i)) >= 0) {
                return ObjectName.quote(value);
            }
        }
        return value.isEmpty() ? ObjectName.quote(value) : value;
    }
}

package io.duetdb.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class JmxExportTest {
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

    @Test
    void registryMetricsBecomeMBeansPerNodeInTheDuetDomain() throws Exception {
        final String labelled = MetricName.of("jmx_test_handled_total", "method", "kv.Kv/Put", "code", "OK");
        final MetricRegistry n1 = new MetricRegistry();
        n1.counter(labelled).inc(6);
        n1.counter("jmx_test_plain_total").inc(2);
        final MetricRegistry n2 = new MetricRegistry();
        n2.counter("jmx_test_plain_total").inc(3);

        final ObjectName plain1 = JmxExport.objectName("duet", "jmx-n1", "counters", "jmx_test_plain_total");
        final ObjectName plain2 = JmxExport.objectName("duet", "jmx-n2", "counters", "jmx_test_plain_total");
        final ObjectName withLabels = JmxExport.objectName("duet", "jmx-n1", "counters", labelled);
        assertEquals(labelled, ObjectName.unquote(withLabels.getKeyProperty("name")));
        final JmxReporter r1 = JmxExport.start(n1, "jmx-n1");
        final JmxReporter r2 = JmxExport.start(n2, "jmx-n2");
        try {
            assertEquals(2L, mbeans.getAttribute(plain1, "Count"));
            assertEquals(3L, mbeans.getAttribute(plain2, "Count"), "two nodes in one JVM do not collide");
            assertEquals(6L, mbeans.getAttribute(withLabels, "Count"));
            assertTrue(mbeans.queryNames(new ObjectName("duet:node=jmx-n1,*"), null).size() >= 2);
        } finally {
            r1.close();
            r2.close();
        }
        assertFalse(mbeans.isRegistered(plain1), "closing the reporter unregisters its MBeans");
        assertFalse(mbeans.isRegistered(withLabels));
    }
}

package io.duetdb.server.admin;

import com.codahale.metrics.MetricRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text served at {@code /metrics}: every source's families, in one deterministic order. A
 * source that fails is left out of that scrape (and logged), not the whole page.
 */
public final class PrometheusExposition {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusExposition.class);

    private final List<MetricsSource> sources;

    public PrometheusExposition(final List<MetricsSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /**
     * A node's page: its Duet registry, then the Ratis registries of this node (see
     * {@link RatisMetricsSource#ofNode}).
     *
     * @param peerIds the cluster's peer ids (turned into {@code peer} labels in Ratis's names)
     */
    public static PrometheusExposition forNode(final MetricRegistry registry, final String selfId,
                                               final Supplier<? extends Collection<String>> peerIds) {
        return new PrometheusExposition(List.of(new DropwizardSource(registry),
            new RatisMetricsSource(RatisMetricsSource.ofNode(selfId), peerIds)));
    }

    /** The current page. Gauges are read now, on the calling thread. */
    public String render() {
        final MetricFamilies families = new MetricFamilies();
        for (final MetricsSource source : sources) {
            try {
                source.collect(families);
            } catch (final RuntimeException e) {
                LOG.warn("a metrics source failed and is left out of this scrape: {}", e.toString());
            }
        }
        if (families.dropped() > 0) {
            LOG.debug("{} samples clashed with others of the same name and were left out", families.dropped());
        }
        return PrometheusText.write(families);
    }

    public byte[] renderUtf8() {
        return render().getBytes(StandardCharsets.UTF_8);
    }
}

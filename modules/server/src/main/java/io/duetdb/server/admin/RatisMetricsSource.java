package io.duetdb.server.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.thirdparty.com.codahale.metrics.Counter;
import org.apache.ratis.thirdparty.com.codahale.metrics.Gauge;
import org.apache.ratis.thirdparty.com.codahale.metrics.Histogram;
import org.apache.ratis.thirdparty.com.codahale.metrics.Meter;
import org.apache.ratis.thirdparty.com.codahale.metrics.Metric;
import org.apache.ratis.thirdparty.com.codahale.metrics.Snapshot;
import org.apache.ratis.thirdparty.com.codahale.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ratis's own metrics. With {@code ratis-metrics-default}, Ratis keeps one registry per component
 * and member in {@link MetricRegistries#global()} (JVM-wide, so several nodes in one JVM share it);
 * each is a {@link RatisMetricRegistryImpl} over a <em>shaded</em> Dropwizard registry
 * ({@code org.apache.ratis.thirdparty.com.codahale.metrics}), read here and mapped like Duet's own.
 *
 * <p>Ratis names a metric {@code <application>.<component>.<prefix>.<name>}, where the prefix is
 * usually the member ({@code s1@group-…}) and the name is camelCase, sometimes with a peer id in
 * it ({@code follower_s2_next_index}). This becomes the family
 * {@code ratis_<component>_<name in snake_case>} with a {@code member} label (the prefix) and, when
 * a known peer id is part of the name, a {@code peer} label; e.g.
 * {@code ratis_log_appender_follower_next_index{member="s1@group-…",peer="s2"}}. Applications other
 * than {@code ratis…} get {@code ratis_} in front.
 */
public final class RatisMetricsSource implements MetricsSource {
    private static final Logger LOG = LoggerFactory.getLogger(RatisMetricsSource.class);

    private final Predicate<String> registryPrefixFilter;
    private final Supplier<? extends Collection<String>> peerIds;

    /**
     * @param registryPrefixFilter which registries to include, by their prefix
     * @param peerIds the cluster's peer ids, to lift out of metric names into a {@code peer} label
     */
    public RatisMetricsSource(final Predicate<String> registryPrefixFilter,
                              final Supplier<? extends Collection<String>> peerIds) {
        this.registryPrefixFilter = registryPrefixFilter;
        this.peerIds = peerIds;
    }

    /**
     * The registries of one node: prefix {@code selfId} (its gRPC server), {@code selfId@group}
     * (its division) or {@code selfId->peer} (its Raft clients). Registries named after a client id
     * (a {@code RaftClient}'s) are left out: they cannot be told apart between nodes in one JVM.
     */
    public static Predicate<String> ofNode(final String selfId) {
        return prefix -> prefix.equals(selfId) || prefix.startsWith(selfId + "@") || prefix.startsWith(selfId + "->");
    }

    @Override
    public void collect(final MetricFamilies out) {
        final List<String> peers = new ArrayList<>(safePeers());
        // Longest first, so that peer "s10" is found in "follower_s10_next_index" before "s1" could be.
        peers.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        final List<RatisMetricRegistryImpl> registries = new ArrayList<>();
        for (final RatisMetricRegistry r : MetricRegistries.global().getMetricRegistries()) {
            if (r instanceof RatisMetricRegistryImpl impl && registryPrefixFilter.test(r.getMetricRegistryInfo()
                .getPrefix())) {
                registries.add(impl);
            }
        }
        registries.sort(Comparator.comparing(r -> r.getMetricRegistryInfo().toString()));
        for (final RatisMetricRegistryImpl r : registries) {
            collect(out, r, peers);
        }
    }

    private Collection<String> safePeers() {
        try {
            final Collection<String> p = peerIds.get();
            return p == null ? List.of() : p;
        } catch (final RuntimeException e) {
            return List.of();
        }
    }

    private static void collect(final MetricFamilies out, final RatisMetricRegistryImpl registry,
                                final List<String> peers) {
        final MetricRegistryInfo info = registry.getMetricRegistryInfo();
        final String fullPrefix = info.getApplicationName() + "." + info.getMetricsComponentName() + "."
            + info.getPrefix() + ".";
        final String app = snakeCase(info.getApplicationName());
        final String familyPrefix = (app.startsWith("ratis") ? app : "ratis_" + app) + "_"
            + snakeCase(info.getMetricsComponentName()) + "_";
        final Map<String, Metric> metrics = new TreeMap<>(registry.getDropWizardMetricRegistry().getMetrics());
        for (final Map.Entry<String, Metric> e : metrics.entrySet()) {
            String shortName = e.getKey().startsWith(fullPrefix) ? e.getKey().substring(fullPrefix.length())
                : e.getKey();
            final List<MetricName.Label> labels = new ArrayList<>(2);
            labels.add(new MetricName.Label("member", info.getPrefix()));
            for (final String peer : peers) {
                final String without = withoutPeer(shortName, peer);
                if (without != null) {
                    labels.add(new MetricName.Label("peer", peer));
                    shortName = without;
                    break;
                }
            }
            final String family = familyPrefix + snakeCase(shortName);
            final String help = "Ratis " + info.getMetricsDescription() + ": " + e.getKey();
            try {
                add(out, family, labels, help, e.getValue());
            } catch (final RuntimeException ex) {
                LOG.debug("Ratis metric {} left out of this scrape: {}", e.getKey(), ex.toString());
            }
        }
    }

    private static void add(final MetricFamilies out, final String family, final List<MetricName.Label> labels,
                            final String help, final Metric metric) {
        if (metric instanceof Counter c) {
            FamilyMapping.counter(out, family, labels, help, c.getCount());
        } else if (metric instanceof Gauge<?> g) {
            FamilyMapping.gauge(out, family, labels, help, g.getValue(), false);
        } else if (metric instanceof Timer t) {
            FamilyMapping.summary(out, family, labels, help, true, t.getCount(), quantiles(t.getSnapshot()), null);
        } else if (metric instanceof Histogram h) {
            FamilyMapping.summary(out, family, labels, help, false, h.getCount(), quantiles(h.getSnapshot()), null);
        } else if (metric instanceof Meter m) {
            FamilyMapping.meter(out, family, labels, help, m.getCount(), m.getOneMinuteRate(), m.getFiveMinuteRate(),
                m.getFifteenMinuteRate(), m.getMeanRate());
        }
    }

    private static double[] quantiles(final Snapshot s) {
        final double[] v = new double[FamilyMapping.QUANTILES.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = s.getValue(FamilyMapping.QUANTILES[i]);
        }
        return v;
    }

    /** {@code name} without the peer id when it stands as a whole {@code _}-separated part, else null. */
    static String withoutPeer(final String name, final String peer) {
        if (peer.isEmpty()) {
            return null;
        }
        if (name.startsWith(peer + "_")) {
            return name.substring(peer.length() + 1);
        }
        if (name.endsWith("_" + peer)) {
            return name.substring(0, name.length() - peer.length() - 1);
        }
        final int at = name.indexOf("_" + peer + "_");
        if (at >= 0) {
            return name.substring(0, at) + name.substring(at + peer.length() + 1);
        }
        return null;
    }

    /**
     * {@code numRequestQueueLimitHits} → {@code num_request_queue_limit_hits}; also maps characters
     * a name may not hold to underscores and squeezes runs of them.
     */
    static String snakeCase(final String s) {
        final StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                final char prev = s.charAt(i - 1);
                final boolean nextLower = i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1));
                if (Character.isLowerCase(prev) || Character.isDigit(prev)
                    || (Character.isUpperCase(prev) && nextLower)) {
                    b.append('_');
                }
            }
            b.append(c);
        }
        final String sanitized = MetricName.sanitizeName(b.toString().toLowerCase(Locale.ROOT));
        final String squeezed = sanitized.replaceAll("_+", "_");
        final String trimmed = squeezed.replaceAll("^_|_$", "");
        return trimmed.isEmpty() ? "_" : trimmed;
    }
}

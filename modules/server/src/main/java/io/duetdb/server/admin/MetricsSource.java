package io.duetdb.server.admin;

/** Something that adds its current values to a scrape. Called on the scraping thread. */
@FunctionalInterface
public interface MetricsSource {
    void collect(MetricFamilies out);
}

package io.duetdb.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import java.util.List;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RatisMetricsSourceTest {
    // Registered in Ratis's JVM-wide registries, the way Ratis's own classes do; removed after each test.
    private final MetricRegistryInfo member = new MetricRegistryInfo("t1@group-ABC", "ratis", "log_appender",
        "Metrics for log appender");
    private final MetricRegistryInfo server = new MetricRegistryInfo("t1", "ratis", "server_message_metrics",
        "Outbound/Inbound message counters");
    private final MetricRegistryInfo otherNode = new MetricRegistryInfo("t2@group-ABC", "ratis", "log_appender",
        "Metrics for log appender");

    @AfterEach
    void removeRegistries() {
        for (final MetricRegistryInfo info : List.of(member, server, otherNode)) {
            MetricRegistries.global().remove(info);
        }
    }

    @Test
    void ratisRegistriesOfThisNodeAppearWithMemberAndPeerLabels() {
        final RatisMetricRegistry m = MetricRegistries.global().create(member);
        m.gauge("follower_t3_next_index", () -> () -> 42L);
        m.gauge("t3_lastHeartbeatElapsedTime", () -> () -> 5L);
        m.counter("numRequestQueueLimitHits").inc();
        m.counter("numRequestQueueLimitHits").inc();
        final Timekeeper timer = m.timer("appendEntryLatency");
        timer.time().stop();
        // a known peer id in a name becomes a label, this node's own id too
        MetricRegistries.global().create(server).counter("t1_append_started_total").inc();
        MetricRegistries.global().create(otherNode).counter("numRequestQueueLimitHits").inc();

        final MetricRegistry duet = new MetricRegistry();
        duet.counter("duet_repaired_intents_total").inc();
        final String text = PrometheusExposition.forNode(duet, "t1", () -> List.of("t1", "t2", "t3")).render();
        final PromTextParser.Parsed p = PromTextParser.parse(text);

        assertEquals(1, p.value("duet_repaired_intents_total"));
        assertEquals(42, p.value("ratis_log_appender_follower_next_index{member=\"t1@group-ABC\",peer=\"t3\"}"));
        assertEquals(5, p.value("ratis_log_appender_last_heartbeat_elapsed_time{member=\"t1@group-ABC\",peer=\"t3\"}"));
        assertEquals(2, p.value("ratis_log_appender_num_request_queue_limit_hits{member=\"t1@group-ABC\"}"));
        assertEquals("gauge", p.types().get("ratis_log_appender_num_request_queue_limit_hits"));
        assertEquals(1, p.value("ratis_log_appender_append_entry_latency_seconds_count{member=\"t1@group-ABC\"}"));
        assertEquals("summary", p.types().get("ratis_log_appender_append_entry_latency_seconds"));
        assertEquals(1, p.value("ratis_server_message_metrics_append_started_total{member=\"t1\",peer=\"t1\"}"));
        assertEquals("counter", p.types().get("ratis_server_message_metrics_append_started_total"));
        assertFalse(text.contains("t2@group-ABC"), "another node's registry in the same JVM is left out");
    }

    @Test
    void withoutAFilterEveryRegistryIsIncluded() {
        MetricRegistries.global().create(member).counter("x").inc();
        MetricRegistries.global().create(otherNode).counter("x").inc();
        final PromTextParser.Parsed p = PromTextParser.parse(new PrometheusExposition(List.of(
            new RatisMetricsSource(prefix -> true, List::of))).render());
        assertEquals(1, p.value("ratis_log_appender_x{member=\"t1@group-ABC\"}"));
        assertEquals(1, p.value("ratis_log_appender_x{member=\"t2@group-ABC\"}"));
    }

    @Test
    void namesBecomeSnakeCase() {
        assertEquals("num_request_queue_limit_hits", RatisMetricsSource.snakeCase("numRequestQueueLimitHits"));
        assertEquals("raft_log_sync_time", RatisMetricsSource.snakeCase("RaftLogSyncTime"));
        assertEquals("http_server_load", RatisMetricsSource.snakeCase("HTTPServerLoad"));
        assertEquals("s1_group_abc", RatisMetricsSource.snakeCase("s1@group-ABC"));
        assertEquals("a_b", RatisMetricsSource.snakeCase("a__b_"));
    }

    @Test
    void peersAreFoundOnlyAsWholeParts() {
        assertEquals("follower_next_index", RatisMetricsSource.withoutPeer("follower_s1_next_index", "s1"));
        assertEquals("latency", RatisMetricsSource.withoutPeer("s1_latency", "s1"));
        assertEquals("heartbeat_from", RatisMetricsSource.withoutPeer("heartbeat_from_s1", "s1"));
        assertEquals(null, RatisMetricsSource.withoutPeer("follower_s10_next_index", "s1"));
        assertEquals(null, RatisMetricsSource.withoutPeer("snapshots", "s"));
        assertTrue(RatisMetricsSource.ofNode("s1").test("s1@group-1"));
        assertTrue(RatisMetricsSource.ofNode("s1").test("s1->s2"));
        assertFalse(RatisMetricsSource.ofNode("s1").test("s10@group-1"));
        assertFalse(RatisMetricsSource.ofNode("s1").test("client-1234->s1"));
    }
}

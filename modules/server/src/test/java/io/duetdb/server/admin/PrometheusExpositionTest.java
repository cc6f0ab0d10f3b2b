package io.duetdb.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PrometheusExpositionTest {
    private static PromTextParser.Parsed scrape(final MetricRegistry registry) {
        return PromTextParser.parse(new PrometheusExposition(List.of(new DropwizardSource(registry))).render());
    }

    @Test
    void countersAndGaugesAreWrittenWithTypeHelpAndValue() {
        final MetricRegistry r = new MetricRegistry();
        r.counter("duet_repaired_intents_total").inc(7);
        r.counter("queue_depth").inc(3); // no _total: a Dropwizard counter may go down, so a gauge
        r.register("temperature", (Gauge<Double>) () -> 21.5);
        r.register("flag", (Gauge<Boolean>) () -> true);
        r.register("bytes_total", (FunctionCounter) () -> 1L << 40);

        final PromTextParser.Parsed p = scrape(r);
        assertEquals(7, p.value("duet_repaired_intents_total"));
        assertEquals("counter", p.types().get("duet_repaired_intents_total"));
        assertEquals(DuetMetricNames.help("duet_repaired_intents_total"), p.help().get("duet_repaired_intents_total"));
        assertEquals(3, p.value("queue_depth"));
        assertEquals("gauge", p.types().get("queue_depth"));
        assertEquals(21.5, p.value("temperature"));
        assertEquals(1, p.value("flag"));
        assertEquals(1L << 40, p.value("bytes_total"));
        assertEquals("counter", p.types().get("bytes_total"));
    }

    @Test
    void gaugesThatAreNotNumbersOrFailAreLeftOutAndTheRestStays() {
        final MetricRegistry r = new MetricRegistry();
        r.register("a_text", (Gauge<String>) () -> "hello");
        r.register("b_null", (Gauge<Long>) () -> null);
        r.register("c_throws", (Gauge<Long>) () -> {
            throw new IllegalStateException("storage not open");
        });
        r.register("d_fine", (Gauge<Long>) () -> 4L);

        final PromTextParser.Parsed p = scrape(r);
        assertEquals(Map.of("d_fine", 4.0), p.samples());
        assertFalse(p.types().containsKey("a_text"), "a family without samples gets no TYPE line either");
    }

    @Test
    void labelledNamesBecomeOneFamilyWithEscapedLabels() {
        final MetricRegistry r = new MetricRegistry();
        r.counter(MetricName.of("calls_total", "method", "kv/Put", "code", "OK")).inc(2);
        r.counter(MetricName.of("calls_total", "code", "NOT_FOUND", "method", "kv/Put")).inc(1);
        final String odd = "quote \" backslash \\ newline \n end";
        r.counter(MetricName.of("calls_total", "method", odd, "code", "OK")).inc(5);

        final String text = new PrometheusExposition(List.of(new DropwizardSource(r))).render();
        final PromTextParser.Parsed p = PromTextParser.parse(text);
        assertEquals(2, p.value("calls_total{code=\"OK\",method=\"kv/Put\"}"));
        assertEquals(1, p.value("calls_total{code=\"NOT_FOUND\",method=\"kv/Put\"}"));
        assertEquals(5, p.value("calls_total{code=\"OK\",method=\"" + odd + "\"}"));
        assertEquals(1, text.split("# TYPE calls_total ", -1).length - 1, "one TYPE line for the family");
        assertTrue(text.contains("method=\"quote \\\" backslash \\\\ newline \\n end\""), text);
    }

    @Test
    void namesAreSanitised() {
        final MetricRegistry r = new MetricRegistry();
        r.counter("9lives.with-dashes and spaces_total").inc();
        r.counter(MetricName.of("ok_total", "bad-label.name", "v")).inc();
        final PromTextParser.Parsed p = scrape(r);
        assertEquals(1, p.value("_9lives_with_dashes_and_spaces_total"));
        assertEquals(1, p.value("ok_total{bad_label_name=\"v\"}"));
    }

    @Test
    void histogramsAreSummariesWithQuantilesCountAndSum() {
        final MetricRegistry r = new MetricRegistry();
        final Histogram h = Summaries.histogram(r, "duet_write_entry_writes");
        for (int i = 1; i <= 100; i++) {
            h.update(i);
        }
        final PromTextParser.Parsed p = scrape(r);
        assertEquals("summary", p.types().get("duet_write_entry_writes"));
        assertEquals(100, p.value("duet_write_entry_writes_count"));
        assertEquals(5050, p.value("duet_write_entry_writes_sum"));
        final double median = p.value("duet_write_entry_writes{quantile=\"0.5\"}");
        assertTrue(median >= 45 && median <= 55, "median " + median);
        assertTrue(p.value("duet_write_entry_writes{quantile=\"0.999\"}") >= 99);
        assertTrue(p.samples().containsKey("duet_write_entry_writes{quantile=\"0.9\"}"));
        assertTrue(p.samples().containsKey("duet_write_entry_writes{quantile=\"0.99\"}"));
    }

    @Test
    void aPlainDropwizardHistogramHasNoSumBecauseItKeepsNone() {
        final MetricRegistry r = new MetricRegistry();
        r.histogram("plain").update(3);
        final PromTextParser.Parsed p = scrape(r);
        assertEquals(1, p.value("plain_count"));
        assertFalse(p.samples().containsKey("plain_sum"));
    }

    @Test
    void timersAreSummariesInSeconds() {
        final MetricRegistry r = new MetricRegistry();
        final Timer t = Summaries.timer(r, MetricName.of("rpc_latency", "method", "m"));
        t.update(250, TimeUnit.MILLISECONDS);
        t.update(750, TimeUnit.MILLISECONDS);
        t.time().stop(); // a context goes through the same histogram
        final PromTextParser.Parsed p = scrape(r);
        assertEquals("summary", p.types().get("rpc_latency_seconds"), "a _seconds suffix is added");
        assertEquals(3, p.value("rpc_latency_seconds_count{method=\"m\"}"));
        final double sum = p.value("rpc_latency_seconds_sum{method=\"m\"}");
        assertTrue(sum >= 1.0 && sum < 1.5, "sum " + sum);
        assertEquals(0.75, p.value("rpc_latency_seconds{method=\"m\",quantile=\"0.999\"}"), 1e-9);
    }

    @Test
    void metersGiveATotalAndRates() {
        final MetricRegistry r = new MetricRegistry();
        r.meter("requests").mark(4);
        final PromTextParser.Parsed p = scrape(r);
        assertEquals(4, p.value("requests_total"));
        assertEquals("counter", p.types().get("requests_total"));
        assertEquals("gauge", p.types().get("requests_rate_per_second"));
        for (final String w : List.of("1m", "5m", "15m", "mean")) {
            assertTrue(p.samples().containsKey("requests_rate_per_second{window=\"" + w + "\"}"), w);
        }
    }

    @Test
    void outputIsTheSameWhateverTheRegistrationOrder() {
        final MetricRegistry a = new MetricRegistry();
        final MetricRegistry b = new MetricRegistry();
        final List<String> names = List.of("z_total", MetricName.of("m_total", "k", "2"), "a_total",
            MetricName.of("m_total", "k", "1"));
        for (final String n : names) {
            a.counter(n).inc();
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            b.counter(names.get(i)).inc();
        }
        final String textA = new PrometheusExposition(List.of(new DropwizardSource(a))).render();
        assertEquals(textA, new PrometheusExposition(List.of(new DropwizardSource(b))).render());
        assertTrue(textA.indexOf("a_total 1") < textA.indexOf("m_total{k=\"1\"}")
            && textA.indexOf("m_total{k=\"1\"}") < textA.indexOf("m_total{k=\"2\"}")
            && textA.indexOf("m_total{k=\"2\"}") < textA.indexOf("z_total 1"), textA);
    }

    @Test
    void clashingFamiliesKeepTheFirstComerAndStayParseable() {
        final MetricFamilies f = new MetricFamilies();
        f.counter("x_total", "h", List.of(), 1);
        f.gauge("x_total", "h", List.of(), 2); // other type: dropped
        f.counter("x_total", "h", List.of(), 3); // same series again: dropped
        f.summary("lat", "h", List.of(), new MetricFamilies.SummaryValues(new double[] {0.5}, new double[] {1}, 1,
            1.0));
        f.gauge("lat_count", "h", List.of(), 9); // would interleave with the summary: dropped
        final PromTextParser.Parsed p = PromTextParser.parse(PrometheusText.write(f));
        assertEquals(1, p.value("x_total"));
        assertEquals(1, p.value("lat_count"));
        assertEquals(3, f.dropped());
    }

    @Test
    void aFailingSourceDoesNotTakeTheOthersDown() {
        final MetricRegistry r = new MetricRegistry();
        r.counter("fine_total").inc();
        final String text = new PrometheusExposition(List.of(out -> {
            throw new IllegalStateException("broken source");
        }, new DropwizardSource(r))).render();
        assertEquals(1, PromTextParser.parse(text).value("fine_total"));
    }

    @Test
    void valuesAreFormattedAsTheFormatWants() {
        assertEquals("12", PrometheusText.formatValue(12.0));
        assertEquals("-3", PrometheusText.formatValue(-3.0));
        assertEquals("0.25", PrometheusText.formatValue(0.25));
        assertEquals("NaN", PrometheusText.formatValue(Double.NaN));
        assertEquals("+Inf", PrometheusText.formatValue(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusText.formatValue(Double.NEGATIVE_INFINITY));
        assertEquals(1e300, Double.parseDouble(PrometheusText.formatValue(1e300)));
    }

    @Test
    void helpTextIsEscaped() {
        final MetricRegistry r = new MetricRegistry();
        r.counter("h_total").inc();
        final String text = new PrometheusExposition(List.of(new DropwizardSource(r,
            family -> "line one\nback\\slash"))).render();
        assertTrue(text.contains("# HELP h_total line one\\nback\\\\slash\n"), text);
    }

    @Test
    void metricNamesRoundTrip() {
        final String name = MetricName.of("f", "b", "x\"y", "a", "1\\2\n3");
        final MetricName.Parsed p = MetricName.parse(name);
        assertEquals("f", p.family());
        assertEquals(List.of(new MetricName.Label("a", "1\\2\n3"), new MetricName.Label("b", "x\"y")), p.labels());
        assertEquals(new MetricName.Parsed("a_b_c", List.of()), MetricName.parse("a.b{c"), "malformed: taken whole");
        assertEquals(new MetricName.Parsed("x_y_z_", List.of()), MetricName.parse("x{y=z}"), "unquoted value");
        assertThrows(IllegalArgumentException.class, () -> MetricName.of("f", "only-a-name"));
    }
}

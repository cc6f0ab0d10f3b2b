package io.duetdb.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.duetdb.client.DuetClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The dashboard and the alert rules are well formed and ask only for series a real node exports: a
 * one-member cluster is started, written to, and scraped; every Duet, Ratis or JVM series name in
 * an expression must be among those scraped (kubelet's volume series come from elsewhere).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringTest {
    private static final Path MONITORING = Tools.DEPLOY_DIR.resolve("monitoring");
    private static final Pattern SERIES = Pattern.compile("\\b((?:duet|ratis|jvm|kubelet)_[A-Za-z0-9_]+)");
    private static final Set<String> ALERTS_THE_ISSUE_ASKS_FOR = Set.of("DuetNoLeader", "DuetMemberBehind",
        "DuetSlowFsync", "DuetRepairsHappening", "DuetVolumeFilling");

    @TempDir
    static Path dir;
    private SingleNode node;
    private Set<String> exported;

    @BeforeAll
    void scrapeALiveNode() throws Exception {
        node = SingleNode.start(dir);
        node.await("/readyz", r -> r.statusCode() == 200, Duration.ofSeconds(60));
        try (DuetClient client = DuetClient.builder().endpoints("127.0.0.1:" + node.clientPort).build()) {
            client.kv().put("monitoring-test", "written");
            client.cluster().status();
        }
        final String text = node.await("/metrics", r -> r.body().contains("duet_grpc_server_handled_total"),
            Duration.ofSeconds(30));
        exported = new HashSet<>();
        for (final String line : text.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theDashboardIsWellFormedAndAsksForExportedSeries() throws Exception {
        final JsonObject d = JsonParser.parseString(Files.readString(MONITORING.resolve("grafana-dashboard.json")))
            .getAsJsonObject();
        assertEquals("duet-overview", d.get("uid").getAsString());
        final Set<String> variables = new HashSet<>();
        d.getAsJsonObject("templating").getAsJsonArray("list")
            .forEach(v -> variables.add(v.getAsJsonObject().get("name").getAsString()));
        assertEquals(Set.of("datasource", "namespace", "pod"), variables);

        final Set<Integer> ids = new HashSet<>();
        final List<String> exprs = new ArrayList<>();
        for (final JsonElement e : d.getAsJsonArray("panels")) {
            final JsonObject p = e.getAsJsonObject();
            assertTrue(ids.add(p.get("id").getAsInt()), "panel id " + p.get("id") + " twice");
            assertTrue(p.has("gridPos") && p.has("title"), p.toString());
            if (p.get("type").getAsString().equals("row")) {
                continue;
            }
            assertTrue(p.has("targets") && !p.getAsJsonArray("targets").isEmpty(), p.get("title") + " has no query");
            for (final JsonElement t : p.getAsJsonArray("targets")) {
                final String expr = t.getAsJsonObject().get("expr").getAsString();
                assertTrue(expr.contains("$namespace") || expr.startsWith("kubelet_"), p.get("title")
                    + " ignores the namespace variable: " + expr);
                exprs.add(expr);
            }
        }
        assertSeriesExported(exprs);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAlertRulesAreWellFormedAndAskForExportedSeries() throws Exception {
        final Map<String, Object> file = new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(MONITORING.resolve("prometheus-rules.yaml")));
        final List<String> exprs = new ArrayList<>();
        final Set<String> alerts = new TreeSet<>();
        for (final Object g : (List<Object>) file.get("groups")) {
            for (final Object r : (List<Object>) ((Map<String, Object>) g).get("rules")) {
                final Map<String, Object> rule = (Map<String, Object>) r;
                final String name = (String) rule.get("alert");
                assertTrue(alerts.add(name), name + " twice");
                assertTrue(Set.of("alert", "expr", "for", "labels", "annotations").containsAll(rule.keySet()),
                    name + " has unknown keys " + rule.keySet());
                final Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
                assertTrue(Set.of("warning", "critical").contains(labels.get("severity")), name + " severity");
                final Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
                assertTrue(annotations.containsKey("summary") && annotations.containsKey("description"), name);
                if (rule.containsKey("for")) {
                    assertTrue(String.valueOf(rule.get("for")).matches("\\d+[smh]"), name + " for: " + rule.get("for"));
                }
                exprs.add((String) rule.get("expr"));
            }
        }
        assertTrue(alerts.containsAll(ALERTS_THE_ISSUE_ASKS_FOR), "alerts: " + alerts);
        assertSeriesExported(exprs);
    }

    @Test
    void theSeriesCheckCanFail() {
        assertFalse(missing(List.of("rate(duet_wal_fsyncs_total[5m])")).isEmpty());
        assertFalse(balanced("sum(rate(duet_keys[5m])"));
    }

    private void assertSeriesExported(final List<String> exprs) {
        for (final String expr : exprs) {
            assertTrue(balanced(expr), "unbalanced brackets or quotes: " + expr);
        }
        assertEquals(List.of(), missing(exprs), "series no node exports (exported: " + new TreeSet<>(exported) + ")");
    }

    private List<String> missing(final List<String> exprs) {
        final List<String> missing = new ArrayList<>();
        for (final String expr : exprs) {
            final Matcher m = SERIES.matcher(expr);
            while (m.find()) {
                final String series = m.group(1);
                if (!series.startsWith("kubelet_volume_stats_") && !exported.contains(series)) {
                    missing.add(series + " in " + expr);
                }
            }
        }
        return missing;
    }

    /** (), [], {} nest and close and double quotes pair, outside quoted strings. */
    static boolean balanced(final String expr) {
        final StringBuilder open = new StringBuilder();
        boolean quoted = false;
        for (final char ch : expr.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && "([{".indexOf(ch) >= 0) {
                open.append(ch);
            } else if (!quoted && ")]}".indexOf(ch) >= 0) {
                if (open.isEmpty() || "([{".indexOf(open.charAt(open.length() - 1)) != ")]}".indexOf(ch)) {
                    return false;
                }
                open.setLength(open.length() - 1);
            }
        }
        return open.isEmpty() && !quoted;
    }
}

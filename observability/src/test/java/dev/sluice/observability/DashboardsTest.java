package dev.sluice.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards as JSON (Grafana itself is not installable here): structure Grafana needs
 * (unique uids and panel ids, the provisioned datasource, a query in every panel, the template variables
 * the queries use), PromQL that Prometheus's own parser accepts, and names that exist (every recorded
 * name is defined by a recording rule; no raw Flink name). {@code DashboardQueriesITCase} then runs every
 * query against a live Prometheus.
 */
class DashboardsTest {
    /** Values for the template variables when a query is parsed (regex matchers accept these). */
    static final Map<String, String> ANY = Map.of("job", ".*", "table", ".*", "source", ".*");

    @Test
    void dashboardsAreWellFormedAndUseTheProvisionedDatasource() {
        String datasourceUid = provisionedDatasourceUid();
        List<Path> dashboards = ObservabilityFiles.dashboards();
        assertThat(dashboards).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("sluice-sla.json", "sluice-gateway.json", "sluice-pipeline-health.json");
        Set<String> uids = new HashSet<>();
        for (Path file : dashboards) {
            JsonNode dashboard = ObservabilityFiles.json(file);
            String name = file.getFileName().toString();
            assertThat(uids.add(dashboard.path("uid").asText())).as(name + " uid unique").isTrue();
            assertThat(dashboard.path("title").asText()).as(name + " title").startsWith("Sluice ");
            Set<String> variables = new HashSet<>();
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                variables.add(variable.path("name").asText());
                assertThat(variable.path("datasource").path("uid").asText()).as(name + " variable datasource")
                        .isEqualTo(datasourceUid);
            }
            Set<Integer> ids = new HashSet<>();
            assertThat(dashboard.path("panels")).as(name + " panels").isNotEmpty();
            for (JsonNode panel : dashboard.path("panels")) {
                String where = name + " panel " + panel.path("id") + " '" + panel.path("title").asText() + "'";
                assertThat(ids.add(panel.path("id").asInt())).as(where + ": id unique").isTrue();
                assertThat(panel.path("title").asText()).as(where + " title").isNotBlank();
                assertThat(panel.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo(datasourceUid);
                assertThat(panel.path("gridPos").path("w").asInt()).as(where + " width").isBetween(1, 24);
                assertThat(panel.path("targets")).as(where + " has a query").isNotEmpty();
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("expr").asText()).as(where + " query").isNotBlank();
                    assertThat(refIds.add(target.path("refId").asText())).as(where + " refId unique").isTrue();
                    assertThat(target.path("datasource").path("uid").asText()).as(where + " query datasource")
                            .isEqualTo(datasourceUid);
                    for (String used : List.of("job", "table", "source")) {
                        if (target.path("expr").asText().contains("$" + used)) {
                            assertThat(variables).as(where + " uses $" + used).contains(used);
                        }
                    }
                }
            }
        }
        JsonNode sla = ObservabilityFiles.json(ObservabilityFiles.DASHBOARDS.resolve("sluice-sla.json"));
        assertThat(sla.path("templating").path("list").findValuesAsText("name")).contains("job", "table");
    }

    @Test
    void provisioningLoadsTheDashboardsFromOneFolder() {
        JsonNode providers = ObservabilityFiles.yaml(ObservabilityFiles.PROVISIONING.resolve("dashboards/sluice.yml"));
        assertThat(providers.path("providers")).hasSize(1);
        assertThat(providers.path("providers").get(0).path("type").asText()).isEqualTo("file");
        assertThat(providers.path("providers").get(0).path("options").path("path").asText()).isNotBlank();
    }

    @Test
    void everyQueryNamesDefinedRecordingRulesOrGatewayMetricsOnly() {
        Set<String> recorded = new HashSet<>();
        ObservabilityFiles.rules().stream().filter(r -> r.has("record"))
                .forEach(r -> recorded.add(r.path("record").asText()));
        List<ObservabilityFiles.Query> queries = ObservabilityFiles.panelQueries();
        assertThat(queries).hasSizeGreaterThan(20);
        for (ObservabilityFiles.Query query : queries) {
            assertThat(query.expr()).as(query.toString()).doesNotContain("flink_");
            assertThat(recorded).as(query + " names defined recording rules").containsAll(
                    ObservabilityFiles.recordedNames(query.expr()));
        }
    }

    /** Prometheus's parser is the judge: each query becomes a recording rule that promtool checks. */
    @Test
    void everyQueryParses(@TempDir Path dir) throws Exception {
        Map<String, ObservabilityFiles.Query> byRule = new LinkedHashMap<>();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (ObservabilityFiles.Query query : ObservabilityFiles.panelQueries()) {
            String record = "dashboard_query:" + query.dashboard().replace(".json", "").replace('-', '_') + "_"
                    + query.panelId() + "_" + query.refId() + ":check";
            byRule.put(record, query);
            rules.append("      - record: ").append(record).append('\n')
                    .append("        expr: ").append(ObservabilityFiles.JSON.writeValueAsString(query.substituted(ANY)))
                    .append('\n');
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        PrometheusTools.Result result = PrometheusTools.promtool(dir, "check", "rules", file.getFileName().toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + byRule.size() + " rules found");
    }

    /** A query Prometheus cannot parse makes the check above fail (so it is not vacuous). */
    @Test
    void aBrokenQueryFailsTheParseCheck(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yml");
        Files.writeString(file, "groups:\n  - name: q\n    rules:\n      - record: q:broken:check\n"
                + "        expr: \"sum by (table (sluice:table_records_in:sum)\"\n");
        PrometheusTools.Result result = PrometheusTools.promtool(dir, "check", "rules", "broken.yml");
        assertThat(result.exitCode()).isNotZero();
    }

    private static String provisionedDatasourceUid() {
        JsonNode datasources = ObservabilityFiles.yaml(
                ObservabilityFiles.PROVISIONING.resolve("datasources/sluice-prometheus.yml")).path("datasources");
        List<String> uids = new ArrayList<>(datasources.findValuesAsText("uid"));
        assertThat(uids).hasSize(1);
        assertThat(datasources.get(0).path("type").asText()).isEqualTo("prometheus");
        return uids.get(0);
    }
}

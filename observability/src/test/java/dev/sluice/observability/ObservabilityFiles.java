package dev.sluice.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The module's files as the tests read them: rules, alerts, dashboards and their panels' queries. */
final class ObservabilityFiles {
    static final Path MODULE = Path.of(System.getProperty("user.dir"));
    static final Path PROMETHEUS = MODULE.resolve("prometheus");
    static final Path RULES = PROMETHEUS.resolve("rules");
    static final Path TESTS = PROMETHEUS.resolve("tests");
    static final Path DASHBOARDS = MODULE.resolve("grafana/dashboards");
    static final Path PROVISIONING = MODULE.resolve("grafana/provisioning");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    /** A recording rule's name: {@code sluice:<what>:<aggregation>}. */
    static final Pattern RECORDED = Pattern.compile("sluice:[a-z0-9_]+:[a-z0-9]+");

    private ObservabilityFiles() {
    }

    static List<Path> ruleFiles() {
        return list(RULES, ".yml");
    }

    static List<Path> dashboards() {
        return list(DASHBOARDS, ".json");
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule of every rule file (recording and alerting). */
    static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        for (Path file : ruleFiles()) {
            yaml(file).path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        }
        return rules;
    }

    /** A panel query: where it is and its PromQL as written (template variables unsubstituted). */
    record Query(String dashboard, int panelId, String panelTitle, String refId, String expr) {
        @Override
        public String toString() {
            return dashboard + " panel " + panelId + " '" + panelTitle + "' query " + refId + ": " + expr;
        }

        /** The query with Grafana's template variables replaced by concrete values. */
        String substituted(Map<String, String> variables) {
            String result = expr;
            for (Map.Entry<String, String> v : variables.entrySet()) {
                result = result.replace("$" + v.getKey(), v.getValue());
            }
            return result;
        }
    }

    /** Every query of every panel of every dashboard. */
    static List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        for (Path file : dashboards()) {
            JsonNode dashboard = json(file);
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(file.getFileName().toString(), panel.path("id").asInt(),
                            panel.path("title").asText(), target.path("refId").asText(), target.path("expr").asText()));
                }
            }
        }
        return queries;
    }

    /** Names of the form sluice:what:aggregation that {@code promql} uses. */
    static List<String> recordedNames(String promql) {
        List<String> names = new ArrayList<>();
        Matcher m = RECORDED.matcher(promql);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Alert name → its rule. */
    static Map<String, JsonNode> alerts() {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        rules().stream().filter(r -> r.has("alert")).forEach(r -> alerts.put(r.path("alert").asText(), r));
        return alerts;
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

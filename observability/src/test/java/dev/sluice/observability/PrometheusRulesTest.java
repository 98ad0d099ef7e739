package dev.sluice.observability;

import static dev.sluice.observability.ObservabilityFiles.PROMETHEUS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus side checked by promtool itself: the scrape config and the rule files load, every alert's
 * unit tests pass, and every alert has a test where it fires and one where it stays silent. Plus the naming
 * contract: recording rules are {@code sluice:<what>:<aggregation>}, and alerts use only those and the
 * gateway's own names, never Flink's long per-subtask names.
 */
class PrometheusRulesTest {

    @Test
    void scrapeConfigAndRulesLoad() throws Exception {
        PrometheusTools.Result config = PrometheusTools.promtool(PROMETHEUS, "check", "config", "prometheus.yml");
        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).contains("SUCCESS: " + ObservabilityFiles.ruleFiles().size() + " rule files found");

        List<String> args = new ArrayList<>(List.of("check", "rules"));
        ObservabilityFiles.ruleFiles().forEach(f -> args.add(PROMETHEUS.relativize(f).toString()));
        PrometheusTools.Result rules = PrometheusTools.promtool(PROMETHEUS, args.toArray(String[]::new));
        assertThat(rules.exitCode()).as(rules.output()).isZero();
    }

    @Test
    void everyAlertsUnitTestsPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        testFiles().forEach(f -> args.add(PROMETHEUS.relativize(f).toString()));
        PrometheusTools.Result result = PrometheusTools.promtool(PROMETHEUS, args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("FAILED");
    }

    /** The unit tests themselves must be able to fail: a broken threshold is caught. */
    @Test
    void promtoolCatchesAnAlertThatNoLongerFires(@TempDir Path dir) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Path tests = Files.createDirectories(dir.resolve("tests"));
        for (Path file : ObservabilityFiles.ruleFiles()) {
            String text = Files.readString(file);
            Files.writeString(rules.resolve(file.getFileName()),
                    text.replace("sluice:table_error_ratio:rate5m{table!=\"_job\"} > 0.05",
                            "sluice:table_error_ratio:rate5m{table!=\"_job\"} > 0.5"));
        }
        for (Path file : testFiles()) {
            Files.copy(file, tests.resolve(file.getFileName()));
        }
        assertThat(Files.readString(rules.resolve("sluice-alerts.yml"))).contains("> 0.5\n");
        PrometheusTools.Result result = PrometheusTools.promtool(dir, "test", "rules", "tests/sluice-alerts.test.yml");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("alertname: SluiceTableErrorRatioHigh");
    }

    @Test
    void everyAlertHasATestWhereItFiresAndOneWhereItIsSilent() {
        Set<String> fires = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (Path file : testFiles()) {
            for (JsonNode test : ObservabilityFiles.yaml(file).path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    String alert = check.path("alertname").asText();
                    (check.path("exp_alerts").isEmpty() ? silent : fires).add(alert);
                }
            }
        }
        Set<String> alerts = ObservabilityFiles.alerts().keySet();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(9);
        assertThat(fires).as("alerts with a test where they fire").containsAll(alerts);
        assertThat(silent).as("alerts with a test where they stay silent").containsAll(alerts);
    }

    @Test
    void recordingRulesAreNamedSluiceWhatAggregationAndAlertsUseOnlyThem() {
        Set<String> recorded = new HashSet<>();
        for (JsonNode rule : ObservabilityFiles.rules()) {
            if (rule.has("record")) {
                String name = rule.path("record").asText();
                assertThat(name).matches(ObservabilityFiles.RECORDED.pattern());
                assertThat(recorded.add(name)).as("recorded once: " + name).isTrue();
            }
        }
        for (Map.Entry<String, JsonNode> alert : ObservabilityFiles.alerts().entrySet()) {
            String expr = alert.getValue().path("expr").asText();
            assertThat(expr).as(alert.getKey()).doesNotContain("flink_");
            assertThat(recorded).as(alert.getKey() + " uses recorded names only").containsAll(
                    ObservabilityFiles.recordedNames(expr));
            assertThat(alert.getValue().path("labels").path("severity").asText()).as(alert.getKey() + " severity")
                    .isIn("warning", "critical");
            assertThat(alert.getValue().path("annotations").path("summary").asText()).as(alert.getKey()).isNotBlank();
        }
    }

    private static List<Path> testFiles() {
        try (Stream<Path> files = Files.list(ObservabilityFiles.TESTS)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

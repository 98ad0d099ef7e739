package dev.sluice.infra.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration a local Prometheus gets from the template (the server itself runs in observability's ITCase). */
class PrometheusServerTest {
    private static final String TEMPLATE = """
            global:
              scrape_interval: 15s
              evaluation_interval: 15s
            rule_files:
              - rules/*.yml
            scrape_configs:
              - job_name: sluice-gateway
                metrics_path: /q/metrics
                static_configs:
                  - targets: ['gateway:8080']
              - job_name: sluice-flink
                static_configs:
                  - targets: ['jm:9249', 'tm:9249']
            """;

    @Test
    void localTargetsIntervalsAndRuleFilesReplaceTheTemplates(@TempDir Path dir) throws Exception {
        Path template = Files.writeString(dir.resolve("prometheus.yml"), TEMPLATE);
        String config = PrometheusServer.builder().config(template)
                .target("sluice-gateway", "127.0.0.1:1234")
                .ruleFiles(List.of(dir.resolve("a.yml")))
                .scrapeInterval(Duration.ofSeconds(1))
                .configuration();
        assertThat(config).contains("scrape_interval: \"1000ms\"", "evaluation_interval: \"1000ms\"",
                "metrics_path: \"/q/metrics\"", "\"127.0.0.1:1234\"", dir.resolve("a.yml").toString())
                // The job without a local target is dropped, the template's example targets are gone.
                .doesNotContain("sluice-flink", "gateway:8080", "rules/*.yml");
    }

    @Test
    void aTargetForAJobTheTemplateLacksIsRefusedByName(@TempDir Path dir) throws Exception {
        Path template = Files.writeString(dir.resolve("prometheus.yml"), TEMPLATE);
        assertThatThrownBy(() -> PrometheusServer.builder().config(template).target("sluice-gatewy", "h:1").configuration())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sluice-gatewy'")
                .hasMessageContaining("[sluice-flink, sluice-gateway]");
    }
}

package dev.sluice.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PrometheusRule in k8s/ is what {@link PrometheusRuleGenerator} makes of observability's rule files: every
 * group and rule, nothing else. With {@code -Dsluice.k8s.regenerate=true} the test rewrites the file instead.
 */
class PrometheusRuleTest {
    private final Path repo = ManifestCheck.repo();

    @Test
    void theCheckedInRuleIsGeneratedFromObservabilityRules() throws IOException {
        String generated = PrometheusRuleGenerator.render(repo);
        Path target = repo.resolve(PrometheusRuleGenerator.TARGET);
        if (Boolean.getBoolean("sluice.k8s.regenerate")) {
            Files.writeString(target, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(target, StandardCharsets.UTF_8))
                .as("%s is out of date with %s; regenerate it (command in its header)", PrometheusRuleGenerator.TARGET, PrometheusRuleGenerator.RULES)
                .isEqualTo(generated);
    }

    @Test
    void everyRuleOfEveryFileIsInTheResource() throws IOException {
        List<String> expected = new ArrayList<>();
        try (var files = Files.list(repo.resolve(PrometheusRuleGenerator.RULES))) {
            for (Path file : files.sorted().toList()) {
                for (JsonNode group : Rendered.YAML.readTree(file.toFile()).path("groups")) {
                    group.path("rules").forEach(r -> expected.add(group.path("name").asText() + "/" + name(r) + "=" + r.path("expr").asText()));
                }
            }
        }
        JsonNode resource = Rendered.YAML.readTree(PrometheusRuleGenerator.render(repo));
        List<String> actual = new ArrayList<>();
        for (JsonNode group : resource.path("spec").path("groups")) {
            group.path("rules").forEach(r -> actual.add(group.path("name").asText() + "/" + name(r) + "=" + r.path("expr").asText()));
        }
        assertThat(expected).isNotEmpty();
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(StrictSchemas.parse("PrometheusRule/sluice-rules", resource,
                io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class)).isEmpty();
    }

    @Test
    void aGroupNameUsedTwiceIsRefused(@TempDir Path copy) throws IOException {
        Path rules = copy.resolve(PrometheusRuleGenerator.RULES);
        Files.createDirectories(rules);
        String group = "groups:\n  - name: same\n    rules:\n      - record: a:b:c\n        expr: up\n";
        Files.writeString(rules.resolve("one.yml"), group);
        Files.writeString(rules.resolve("two.yml"), group);
        assertThatThrownBy(() -> PrometheusRuleGenerator.render(copy))
                .hasMessageContaining("two.yml: rule group same is defined twice");
    }

    private static String name(JsonNode rule) {
        return rule.has("record") ? rule.path("record").asText() : rule.path("alert").asText();
    }
}

package dev.sluice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds the Prometheus Operator's {@code PrometheusRule} (k8s/base/monitoring/prometheusrule.yaml) from the
 * rule files Prometheus itself loads ({@code observability/prometheus/rules/*.yml}): those files stay the one
 * source of truth, and the k8s tests fail when the checked-in resource differs from what this produces.
 *
 * <p>Usage: {@code PrometheusRuleGenerator <repository root>} rewrites the file; {@link #render(Path)} returns it.
 */
public final class PrometheusRuleGenerator {
    /** Where the generated resource lives, relative to the repository root. */
    public static final Path TARGET = Path.of("k8s/base/monitoring/prometheusrule.yaml");
    /** The rule files it is generated from, relative to the repository root. */
    public static final Path RULES = Path.of("observability/prometheus/rules");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));

    private PrometheusRuleGenerator() {
    }

    /** The PrometheusRule YAML for the rule files under {@code repo}; fails on a group name used twice. */
    public static String render(Path repo) {
        ArrayNode groups = JsonNodeFactory.instance.arrayNode();
        Set<String> names = new HashSet<>();
        List<Path> files = ruleFiles(repo);
        for (Path file : files) {
            JsonNode content;
            try {
                content = YAML.readTree(file.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage(), e);
            }
            if (content == null || !content.path("groups").isArray()) {
                throw new IllegalArgumentException(file + ": a Prometheus rule file needs a top-level 'groups' list");
            }
            for (JsonNode group : content.path("groups")) {
                String name = group.path("name").asText();
                if (!names.add(name)) {
                    throw new IllegalArgumentException(file + ": rule group " + name + " is defined twice; "
                            + "the Prometheus Operator needs unique group names within a PrometheusRule");
                }
                groups.add(group);
            }
        }
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        rule.put("apiVersion", "monitoring.coreos.com/v1");
        rule.put("kind", "PrometheusRule");
        rule.putObject("metadata").put("name", "sluice-rules");
        rule.putObject("spec").set("groups", groups);
        StringBuilder out = new StringBuilder()
                .append("# GENERATED from ").append(RULES).append("/ (")
                .append(String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList()))
                .append(") by dev.sluice.k8s.PrometheusRuleGenerator: do not edit.\n")
                .append("# Regenerate after changing the rules: ./mvnw -B -q -pl k8s -am test -Dtest=PrometheusRuleTest ")
                .append("-Dsluice.k8s.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false\n");
        try {
            out.append(YAML.writeValueAsString(rule));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static List<Path> ruleFiles(Path repo) {
        try (Stream<Path> files = Files.list(repo.resolve(RULES))) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + repo.resolve(RULES), e);
        }
    }

    public static void main(String[] args) throws IOException {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        Files.writeString(repo.resolve(TARGET), render(repo), StandardCharsets.UTF_8);
        System.out.println("wrote " + repo.resolve(TARGET));
    }
}

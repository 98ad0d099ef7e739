package dev.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The udf block binds relative to the pipeline file, carries the module sources, and bad keys are reported. */
class UdfConfigTest {

    @TempDir
    Path dir;

    private static String pipeline(String udf, String postprocess) {
        return "source: { topic: t }\n" + udf + """
                tables:
                  - name: a.b
                    parser: { type: json }
                """ + postprocess + """
                    extensions:
                      derived:
                        - { name: tier, function: pricing.tier, args: [amount] }
                    columns:
                      - { name: tier, type: STRING }
                """;
    }

    @Test
    void modulesResolveAgainstThePipelineFileAndTheirSourcesTravelInTheConfig() throws IOException {
        Path modules = Files.createDirectories(dir.resolve("conf/python"));
        Files.writeString(modules.resolve("pricing.py"), "def tier(a):\n    return 'x'\n");
        Files.writeString(modules.resolve("notes.txt"), "not a module");
        Path file = dir.resolve("conf/p.yaml");
        Files.writeString(file, pipeline("udf: { modules: python, time-budget-ms: 250 }\n", "    postprocess: pricing.tier\n"));

        // No Python engine on sluice-core's class path: the loader checks shape; flink-job's rule loads modules.
        PipelineConfig config = PipelineConfigLoader.load(file);

        assertThat(config.udf().modules()).isEqualTo(modules.toString());
        assertThat(config.udf().sources()).containsOnlyKeys("pricing");
        assertThat(config.udf().timeBudget().toMillis()).isEqualTo(250);
        assertThat(config.tables().get(0).postprocess()).isEqualTo("pricing.tier");
    }

    @Test
    void missingDirectoryBadBudgetAndPythonFunctionsWithoutModulesAreReported() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> PipelineConfigLoader.parse(
                pipeline("udf: { modules: nowhere, time-budget-ms: 0, preprocess: nodot }\n", ""), "p.yaml", dir))
                .problems()).containsExactlyInAnyOrder(
                "udf.modules: 'nowhere' is not a directory (resolved to " + dir.resolve("nowhere") + ")",
                "udf.time-budget-ms: must be between 1 and 60000 ms, got 0",
                "udf.preprocess: 'nodot' must name a Python function as module.function");
        assertThat(catchThrowableOfType(ConfigException.class, () -> PipelineConfigLoader.parse(
                pipeline("", "    postprocess: pricing.to_eur\n"), "p.yaml", dir)).problems()).containsExactlyInAnyOrder(
                "tables[0].postprocess: 'pricing.to_eur' is a Python function but the pipeline has no udf.modules directory",
                "tables[0].extensions.derived[0].function: 'pricing.tier' is a Python function but the pipeline has no"
                        + " udf.modules directory");
    }
}

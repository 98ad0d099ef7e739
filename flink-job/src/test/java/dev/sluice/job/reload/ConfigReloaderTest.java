package dev.sluice.job.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.job.pipeline.CollectingOutput;
import dev.sluice.job.pipeline.Pipelines;
import dev.sluice.job.pipeline.RecordProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloaderTest {
    private static final String ERROR_LINE = "{\"ts\":\"2026-11-23T10:00:01Z\",\"level\":\"ERROR\",\"host\":\"h\","
            + "\"trace_id\":\"t\",\"msg\":\"m\"}";
    private static final long NOW = 2_000_000_000_000L;

    @TempDir
    Path dir;

    private Path file;
    private String original;
    private ConfigReloader reloader;

    @BeforeEach
    void startFromTheExample() throws Exception {
        original = Files.readString(Pipelines.EXAMPLES.resolve("app-logs.yaml"));
        file = dir.resolve("app-logs.yaml");
        write(original, NOW - 60_000);
        reloader = new ConfigReloader(file);
        RecordProcessor builtIn = new RecordProcessor(PipelineConfigLoader.load(file));
        assertThat(reloader.start(builtIn, null)).isSameAs(builtIn);
    }

    @Test
    void unchangedFileKeepsTheRunningProcessor() {
        assertThat(reloader.atCheckpoint(1, NOW)).isNull();
        assertThat(reloader.activeYaml()).isNull();
    }

    @Test
    void lightChangeReturnsAnOpenedProcessorWithTheNewRoute() throws Exception {
        String warnOnly = original.replace("route: level == 'ERROR'", "route: level == 'WARN'");
        write(warnOnly, NOW - 1);

        RecordProcessor next = reloader.atCheckpoint(7, NOW);

        assertThat(next).isNotNull();
        CollectingOutput out = Pipelines.run(next, "raw-app-logs", ERROR_LINE);
        assertThat(out.drops).containsExactly(new CollectingOutput.Drop("app.errors", "route"));
        assertThat(reloader.activeYaml()).isEqualTo(warnOnly);
        assertThat(reloader.atCheckpoint(8, NOW + 1000)).as("same content again").isNull();
    }

    @Test
    void fileModifiedAtOrAfterTheCheckpointTriggerWaitsForTheNextCheckpoint() throws Exception {
        write(original.replace("route: level == 'ERROR'", "route: level == 'WARN'"), NOW);

        assertThat(reloader.atCheckpoint(3, NOW)).isNull();
        assertThat(reloader.atCheckpoint(4, NOW + 1000)).isNotNull();
    }

    @Test
    void restartRequiredAndBrokenFilesKeepTheRunningConfig() throws Exception {
        write(original.replace("table-type: MERGE_ON_READ", "table-type: COPY_ON_WRITE"), NOW - 1);
        assertThat(reloader.atCheckpoint(1, NOW)).isNull();

        write(original.replace("type: STRING", "type: STRNG"), NOW - 1);
        assertThat(reloader.atCheckpoint(2, NOW)).isNull();
        assertThat(reloader.activeYaml()).isNull();
    }

    @Test
    void restoredYamlWinsOverTheBuiltInConfig() {
        String warnOnly = original.replace("route: level == 'ERROR'", "route: level == 'WARN'");
        ConfigReloader restored = new ConfigReloader(file);

        RecordProcessor processor = restored.start(new RecordProcessor(PipelineConfigLoader.load(file)), warnOnly);
        processor.open();

        assertThat(Pipelines.run(processor, "raw-app-logs", ERROR_LINE).drops)
                .containsExactly(new CollectingOutput.Drop("app.errors", "route"));
        assertThat(restored.activeYaml()).isEqualTo(warnOnly);
        assertThat(restored.atCheckpoint(1, NOW)).as("file still holds the pre-restore config").isNotNull();
    }

    @Test
    void submittedConfigWinsWhenItNeedsARestartAgainstTheRestoredOne() throws Exception {
        String warnOnly = original.replace("route: level == 'ERROR'", "route: level == 'WARN'");
        String cow = original.replace("table-type: MERGE_ON_READ", "table-type: COPY_ON_WRITE");
        write(cow, NOW - 1);
        ConfigReloader resubmitted = new ConfigReloader(file);
        RecordProcessor builtIn = new RecordProcessor(PipelineConfigLoader.load(file));

        assertThat(resubmitted.start(builtIn, warnOnly)).isSameAs(builtIn);
        assertThat(resubmitted.activeYaml()).isNull();
        assertThat(resubmitted.atCheckpoint(1, NOW)).as("the file is the running config").isNull();
    }

    private void write(String yaml, long modifiedAt) throws Exception {
        Files.writeString(file, yaml);
        Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedAt));
    }
}

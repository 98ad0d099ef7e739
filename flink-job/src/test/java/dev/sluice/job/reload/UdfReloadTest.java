package dev.sluice.job.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.job.pipeline.CollectingOutput;
import dev.sluice.job.pipeline.ConfigChange;
import dev.sluice.job.pipeline.Pipelines;
import dev.sluice.job.pipeline.RecordProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.flink.table.data.StringData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed Python module is a light change: picked up at the next checkpoint though the YAML is the same. */
class UdfReloadTest {
    private static final long NOW = 2_000_000_000_000L;
    private static final String ORDER = "{\"order_id\":\"o-1\",\"ts\":\"23/11/2026 10:00:01\",\"customer\":\"c-7\","
            + "\"amount\":120.5,\"currency\":\"USD\"}";

    @TempDir
    Path dir;

    @Test
    void changedModuleIsReloadedAtTheNextCheckpoint() throws Exception {
        Path file = dir.resolve("partner-orders.yaml");
        Files.copy(Pipelines.EXAMPLES.resolve("udf/partner-orders.yaml"), file);
        Path modules = Files.createDirectory(dir.resolve("python"));
        for (String module : new String[] {"partner.py", "pricing.py", "rates.py"}) {
            Files.copy(Pipelines.EXAMPLES.resolve("udf/python").resolve(module), modules.resolve(module));
            Files.setLastModifiedTime(modules.resolve(module), FileTime.fromMillis(NOW - 60_000));
        }
        Files.setLastModifiedTime(modules, FileTime.fromMillis(NOW - 60_000));
        Files.setLastModifiedTime(file, FileTime.fromMillis(NOW - 60_000));
        PipelineConfig started = PipelineConfigLoader.load(file);
        ConfigReloader reloader = new ConfigReloader(file);
        reloader.start(new RecordProcessor(started), null);
        assertThat(reloader.atCheckpoint(1, NOW)).as("nothing changed").isNull();

        Path pricing = modules.resolve("pricing.py");
        Files.writeString(pricing, Files.readString(pricing).replace("amount >= 100", "amount >= 1000"));
        Files.setLastModifiedTime(pricing, FileTime.fromMillis(NOW + 500));
        assertThat(reloader.atCheckpoint(2, NOW + 500)).as("modified at the trigger time: next checkpoint").isNull();

        RecordProcessor next = reloader.atCheckpoint(3, NOW + 1000);
        try {
            assertThat(next).isNotNull();
            CollectingOutput out = Pipelines.run(next, "raw-partner-orders", ORDER);
            assertThat(out.rows("partner.orders")).singleElement()
                    .satisfies(row -> assertThat(row.getString(6)).isEqualTo(StringData.fromString("small")));
            assertThat(ConfigChange.classify(started, next.config()).message())
                    .isEqualTo("LIGHT: udf changed: module(s) pricing");
            assertThat(reloader.atCheckpoint(4, NOW + 2000)).as("same content again").isNull();
        } finally {
            next.close();
        }
    }
}

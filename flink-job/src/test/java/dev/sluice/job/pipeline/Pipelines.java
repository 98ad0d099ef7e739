package dev.sluice.job.pipeline;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.record.RawRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Test fixtures: the shipped example configs and raw records. */
public final class Pipelines {
    /** Tests run in the module directory; the examples live at the repository root. */
    public static final Path EXAMPLES = Path.of("..", "examples", "pipelines");

    private Pipelines() {
    }

    public static PipelineConfig example(String file) {
        return PipelineConfigLoader.load(EXAMPLES.resolve(file));
    }

    public static RecordProcessor opened(PipelineConfig config) {
        RecordProcessor processor = new RecordProcessor(config);
        processor.open();
        return processor;
    }

    public static RecordProcessor opened(String yaml) {
        return opened(PipelineConfigLoader.parse(yaml, "test"));
    }

    public static RawRecord raw(String topic, String line) {
        return new RawRecord(topic, 2, 77, 1_000L, line.getBytes(StandardCharsets.UTF_8), "src", "log", 2_000L);
    }

    public static CollectingOutput run(RecordProcessor processor, String topic, String... lines) {
        CollectingOutput out = new CollectingOutput();
        for (String line : lines) {
            processor.process(raw(topic, line), out);
        }
        return out;
    }
}

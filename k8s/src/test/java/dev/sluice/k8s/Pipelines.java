package dev.sluice.k8s;

import dev.sluice.core.config.KafkaSinkConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The example pipelines every overlay must run (one FlinkDeployment each). */
final class Pipelines {
    private Pipelines() {
    }

    /** File names of {@code examples/pipelines/*.yaml}, sorted. */
    static List<String> files(Path repo) {
        try (Stream<Path> files = Files.list(repo.resolve("examples/pipelines"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Topics the example pipelines' {@code kafka} sinks write (each needs a KafkaTopic beside the raw topics). */
    static long kafkaSinkTopics(Path repo) {
        return files(repo).stream()
                .map(f -> PipelineConfigLoader.load(repo.resolve("examples/pipelines").resolve(f)))
                .flatMap(p -> p.tables().stream()).flatMap(t -> t.sinks().stream())
                .filter(KafkaSinkConfig.class::isInstance).map(k -> ((KafkaSinkConfig) k).topic())
                .distinct().count();
    }
}

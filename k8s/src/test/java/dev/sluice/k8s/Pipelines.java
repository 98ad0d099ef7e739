package dev.sluice.k8s;

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
}

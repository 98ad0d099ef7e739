package dev.sluice.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Reads pipeline YAML into a {@link PipelineConfig} and validates it in one pass: unknown keys, wrong
 * types, unknown enum values, cross-field rules and the {@link ConfigRule}s on the class path. Every
 * problem is reported at once with the path of its key ({@code tables[1].columns[2].type: unknown type
 * 'BIGNT', expected one of …}) in a {@link ConfigException}.
 */
public final class PipelineConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PipelineConfigLoader() {
    }

    public static PipelineConfig load(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            return parse(Files.readString(file), file.toString(), parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pipeline config " + file, e);
        }
    }

    /**
     * Parses YAML text; {@code origin} names it in error messages. Relative paths in it (the udf module
     * directory) are relative to the working directory.
     */
    public static PipelineConfig parse(String yaml, String origin) {
        return parse(yaml, origin, Path.of(""));
    }

    /** Parses YAML text whose relative paths are relative to {@code baseDir} (the pipeline file's directory). */
    public static PipelineConfig parse(String yaml, String origin, Path baseDir) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(origin, List.of("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr())));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(origin, List.of("expected a mapping with source and tables"));
        }
        Problems problems = new Problems();
        PipelineConfig config = ConfigBinder.bind(root, problems, baseDir);
        PipelineValidator.validate(config, problems);
        for (ConfigRule rule : ServiceLoader.load(ConfigRule.class, PipelineConfigLoader.class.getClassLoader())) {
            rule.check(config, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(origin, problems.list());
        }
        return config;
    }
}

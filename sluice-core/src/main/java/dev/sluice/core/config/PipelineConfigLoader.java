package dev.sluice.core.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Reads pipeline YAML into a {@link PipelineConfig}; unknown keys and wrong types fail with their path. */
public final class PipelineConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private PipelineConfigLoader() {
    }

    public static PipelineConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pipeline config " + file, e);
        }
    }

    /** Parses YAML text; {@code origin} names it in error messages. */
    public static PipelineConfig parse(String yaml, String origin) {
        try {
            return YAML.readValue(yaml, PipelineConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException(origin, List.of(path(e.getPath()) + ": " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(origin, List.of("not valid YAML: " + e.getMessage()));
        }
    }

    private static String path(List<JsonMappingException.Reference> references) {
        return references.stream()
                .map(ref -> ref.getIndex() >= 0 ? "[" + ref.getIndex() + "]" : "." + ref.getFieldName())
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }
}

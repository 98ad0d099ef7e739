package dev.sluice.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;

/**
 * The configuration of one job: the topic it reads and the stream tables it feeds. Load it with
 * {@link PipelineConfigLoader}.
 */
public record PipelineConfig(SourceConfig source, List<TableConfig> tables) implements Serializable {

    @JsonCreator
    public PipelineConfig(@JsonProperty(value = "source", required = true) SourceConfig source,
                          @JsonProperty(value = "tables", required = true) List<TableConfig> tables) {
        this.source = source;
        this.tables = List.copyOf(tables);
    }
}

package dev.sluice.core.config;

import java.io.Serializable;
import java.util.List;

/**
 * The configuration of one job: the topic it reads and the stream tables it feeds. Load it with
 * {@link PipelineConfigLoader}.
 */
public record PipelineConfig(SourceConfig source, List<TableConfig> tables) implements Serializable {

    public PipelineConfig(SourceConfig source,
                          List<TableConfig> tables) {
        this.source = source;
        this.tables = List.copyOf(tables);
    }
}

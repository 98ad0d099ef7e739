package dev.sluice.core.config;

import java.io.Serializable;
import java.util.List;

/**
 * The configuration of one job: the topic it reads and the stream tables it feeds. Load it with
 * {@link PipelineConfigLoader}.
 */
public record PipelineConfig(SourceConfig source, List<TableConfig> tables, UdfConfig udf) implements Serializable {

    /**
     * @param udf the Python UDFs' modules, budget and preprocess hook; null when the pipeline uses none
     */
    public PipelineConfig(SourceConfig source,
                          List<TableConfig> tables,
                          UdfConfig udf) {
        this.source = source;
        this.tables = List.copyOf(tables);
        this.udf = udf;
    }

    /** A pipeline without Python UDFs. */
    public PipelineConfig(SourceConfig source, List<TableConfig> tables) {
        this(source, tables, null);
    }
}

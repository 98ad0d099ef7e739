package dev.sluice.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Hive-style Parquet files whose partitions are registered in a Hive Metastore.
 *
 * @param partitionFields Hive partition columns
 */
public record HiveSinkConfig(List<String> partitionFields) implements SinkConfig {

    @JsonCreator
    public HiveSinkConfig(@JsonProperty("partition-fields") List<String> partitionFields,
                          @JsonProperty("type") String ignoredType) {
        this(partitionFields == null ? List.of() : List.copyOf(partitionFields));
    }
}

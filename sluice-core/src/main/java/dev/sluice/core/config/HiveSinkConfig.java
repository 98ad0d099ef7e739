package dev.sluice.core.config;

import java.util.List;

/**
 * Hive-style Parquet files whose partitions are registered in a Hive Metastore.
 *
 * @param partitionFields Hive partition columns
 */
public record HiveSinkConfig(List<String> partitionFields) implements SinkConfig {

    public HiveSinkConfig(List<String> partitionFields,
                          String ignoredType) {
        this(partitionFields == null ? List.of() : List.copyOf(partitionFields));
    }
}

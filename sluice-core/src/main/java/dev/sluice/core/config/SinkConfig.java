package dev.sluice.core.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.Serializable;
import java.util.List;

/** Where a stream table's rows land. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = HudiSinkConfig.class, name = "hudi"),
        @JsonSubTypes.Type(value = HiveSinkConfig.class, name = "hive")})
public sealed interface SinkConfig extends Serializable permits HudiSinkConfig, HiveSinkConfig {

    /** Columns the table is partitioned by, in path order ({@code dt=2026-11-23/}). */
    List<String> partitionFields();
}

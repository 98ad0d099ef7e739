package dev.sluice.core.config;

import java.io.Serializable;
import java.util.List;

/** Where a stream table's rows land. */
public sealed interface SinkConfig extends Serializable permits HudiSinkConfig, HiveSinkConfig, KafkaSinkConfig {

    /** Columns the table is partitioned by, in path order ({@code dt=2026-11-23/}). */
    List<String> partitionFields();
}

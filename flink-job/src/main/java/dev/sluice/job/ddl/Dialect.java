package dev.sluice.job.ddl;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The SQL dialect {@link TableDdl} writes CREATE statements in, or Avro for the Kafka sinks' value schemas. */
public enum Dialect {
    /** HiveQL: EXTERNAL tables with Parquet storage; Hudi tables through Hudi's Hadoop input formats. */
    HIVE,
    /** Spark SQL: data source tables ({@code USING hudi}, {@code USING parquet}). */
    SPARK,
    /** Flink SQL: the Hudi connector, or the filesystem connector with Parquet for Hive-style tables. */
    FLINK,
    /**
     * Not SQL: the Avro schema of the values of every Kafka sink with {@code format: avro}, as one JSON object
     * keyed by registry subject ({@code <topic>-value}); see {@link TableDdl#avroSchemas}.
     */
    AVRO;

    /** The SQL dialects, those {@link TableDdl#statements} writes CREATE statements in. */
    public static final Set<Dialect> SQL = Collections.unmodifiableSet(EnumSet.of(HIVE, SPARK, FLINK));
}

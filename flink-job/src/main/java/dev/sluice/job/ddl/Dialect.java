package dev.sluice.job.ddl;

/** The SQL dialect {@link TableDdl} writes CREATE statements in. */
public enum Dialect {
    /** HiveQL: EXTERNAL tables with Parquet storage; Hudi tables through Hudi's Hadoop input formats. */
    HIVE,
    /** Spark SQL: data source tables ({@code USING hudi}, {@code USING parquet}). */
    SPARK,
    /** Flink SQL: the Hudi connector, or the filesystem connector with Parquet for Hive-style tables. */
    FLINK
}

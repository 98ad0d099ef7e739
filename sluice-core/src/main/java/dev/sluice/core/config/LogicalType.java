package dev.sluice.core.config;

/**
 * Logical column types of a stream table. Arrays and maps are stored as {@link #JSON} text. The
 * physical (engine/storage) types are derived from these in one place per engine.
 */
public enum LogicalType {
    STRING, BIGINT, DOUBLE, BOOLEAN,
    /** Instant with microsecond precision (stored as TIMESTAMP(6): Spark and Flink read MOR tables alike). */
    TIMESTAMP,
    DATE,
    /** Any JSON value kept as its JSON text. */
    JSON
}

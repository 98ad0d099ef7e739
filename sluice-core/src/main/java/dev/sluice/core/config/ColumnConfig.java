package dev.sluice.core.config;

import java.io.Serializable;

/**
 * One column of a stream table.
 *
 * @param name     column name in the table
 * @param type     logical type
 * @param path     where the value comes from in the parsed record (dotted path); defaults to {@code name}
 * @param required a record without a value here is an error record, not a row with a null
 * @param format   parse format for TIMESTAMP/DATE text values (java.time pattern), or null for ISO-8601 /
 *                 epoch numbers
 */
public record ColumnConfig(String name, LogicalType type, String path, boolean required, String format)
        implements Serializable {

    public ColumnConfig(String name,
                        LogicalType type,
                        String path,
                        Boolean required,
                        String format) {
        this(name, type, path == null ? name : path, required != null && required, format);
    }
}

package dev.sluice.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;

/**
 * A stream table: which records of the topic it takes, how they are parsed and typed, where they land.
 * The column list is the single source of truth for the table's schema in every sink.
 *
 * @param name    {@code database.table}
 * @param parser  parser of the raw line
 * @param columns columns, in table order
 * @param sinks   where rows are written
 * @param salt    number of writer subtasks one partition may be spread over (keyBy salt range), default 4
 */
public record TableConfig(String name, ParserConfig parser, List<ColumnConfig> columns, List<SinkConfig> sinks,
                          int salt) implements Serializable {

    public static final int DEFAULT_SALT = 4;

    @JsonCreator
    public TableConfig(@JsonProperty(value = "name", required = true) String name,
                       @JsonProperty(value = "parser", required = true) ParserConfig parser,
                       @JsonProperty(value = "columns", required = true) List<ColumnConfig> columns,
                       @JsonProperty("sinks") List<SinkConfig> sinks,
                       @JsonProperty("salt") Integer salt) {
        this(name, parser, List.copyOf(columns), sinks == null ? List.of() : List.copyOf(sinks),
                salt == null ? DEFAULT_SALT : salt);
    }

    /** The database part of {@link #name()}. */
    public String database() {
        int dot = name.indexOf('.');
        return dot < 0 ? "default" : name.substring(0, dot);
    }

    /** The table part of {@link #name()}. */
    public String table() {
        return name.substring(name.indexOf('.') + 1);
    }
}

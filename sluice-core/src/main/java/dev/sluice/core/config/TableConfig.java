package dev.sluice.core.config;

import java.io.Serializable;
import java.util.List;

/**
 * A stream table: which records of the topic it takes, how they are parsed and typed, where they land.
 * The column list is the single source of truth for the table's schema in every sink.
 *
 * @param name       {@code database.table}
 * @param filter     keyword filter on the raw line, before parsing
 * @param parser     parser of the raw line
 * @param extensions flatten / explode / derived fields, applied after parsing
 * @param columns    columns, in table order
 * @param route      routing expression (JEXL) deciding whether a parsed record lands in this table; null:
 *                   always
 * @param sinks      where rows are written
 * @param salt       number of writer subtasks one partition may be spread over (keyBy salt range), default 4
 * @param dedup      real-time dedup before the sinks; null: none
 * @param postprocess Python UDF ({@code module.function}) given each record as a dict after routing, just
 *                   before the columns are taken from it; returns the record or None to drop it; null: none
 */
public record TableConfig(String name, FilterConfig filter, ParserConfig parser, ExtensionsConfig extensions,
                          List<ColumnConfig> columns, String route, List<SinkConfig> sinks, int salt,
                          DedupConfig dedup, String postprocess)
        implements Serializable {

    public static final int DEFAULT_SALT = 4;

    public TableConfig(String name,
                       FilterConfig filter,
                       ParserConfig parser,
                       ExtensionsConfig extensions,
                       List<ColumnConfig> columns,
                       String route,
                       List<SinkConfig> sinks,
                       Integer salt,
                       DedupConfig dedup,
                       String postprocess) {
        this(name, filter == null ? FilterConfig.NONE : filter, parser,
                extensions == null ? ExtensionsConfig.NONE : extensions, List.copyOf(columns),
                route == null || route.isBlank() ? null : route.trim(),
                sinks == null ? List.of() : List.copyOf(sinks), salt == null ? DEFAULT_SALT : salt, dedup,
                postprocess == null || postprocess.isBlank() ? null : postprocess.trim());
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

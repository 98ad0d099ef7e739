package dev.sluice.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules across fields that binding cannot check: names unique and well formed, parser options that fit
 * the parser, sink key and partition fields that are columns. Null fields (failed to bind, already
 * reported) are skipped.
 */
final class PipelineValidator {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");

    private PipelineValidator() {
    }

    static void validate(PipelineConfig config, Problems problems) {
        SourceConfig source = config.source();
        if (source != null && source.topic() != null && source.topic().isBlank()) {
            problems.add("source.topic", "must not be empty");
        }
        if (source != null && source.start() == StartMode.TIMESTAMP && source.startTimestamp() <= 0) {
            problems.add("source.start-timestamp", "required (epoch ms) when start is timestamp");
        }
        udf(config, problems);
        Map<String, Integer> names = new HashMap<>();
        List<TableConfig> tables = config.tables();
        for (int t = 0; t < tables.size(); t++) {
            TableConfig table = tables.get(t);
            String at = "tables[" + t + "]";
            if (table.name() != null) {
                if (!TABLE_NAME.matcher(table.name()).matches()) {
                    problems.add(at + ".name", "'" + table.name() + "' must be database.table (letters, digits, _)");
                }
                Integer first = names.putIfAbsent(table.name(), t);
                if (first != null) {
                    problems.add(at + ".name", "duplicate table '" + table.name() + "' (also tables[" + first + "])");
                }
            }
            if (table.salt() < 1) {
                problems.add(at + ".salt", "must be at least 1, got " + table.salt());
            }
            parser(table.parser(), at + ".parser", problems);
            Set<String> columns = columns(table.columns(), at, problems);
            derived(table.extensions().derived(), at + ".extensions.derived", problems);
            for (int s = 0; s < table.sinks().size(); s++) {
                sink(table.sinks().get(s), columns, table.name(), at + ".sinks[" + s + "]", problems);
            }
            if (table.dedup() != null) {
                mustBeColumns(table.dedup().key(), at + ".dedup.key", columns, table.name(), problems);
            }
        }
    }

    /** Python references are well formed and have modules to come from; the engine checks they resolve. */
    private static void udf(PipelineConfig config, Problems problems) {
        UdfConfig udf = config.udf();
        if (udf != null) {
            Long budget = udf.timeBudgetMs();
            if (budget != null && (budget < 1 || budget > UdfConfig.MAX_TIME_BUDGET_MS)) {
                problems.add("udf.time-budget-ms", "must be between 1 and " + UdfConfig.MAX_TIME_BUDGET_MS
                        + " ms, got " + budget);
            }
            functionRef(udf.preprocess(), "udf.preprocess", udf, problems);
        }
        for (int t = 0; t < config.tables().size(); t++) {
            TableConfig table = config.tables().get(t);
            String at = "tables[" + t + "]";
            functionRef(table.postprocess(), at + ".postprocess", udf, problems);
            List<DerivedFieldConfig> derived = table.extensions().derived();
            for (int d = 0; d < derived.size(); d++) {
                if (UdfConfig.isPythonFunction(derived.get(d).function())) {
                    functionRef(derived.get(d).function(), at + ".extensions.derived[" + d + "].function", udf,
                            problems);
                }
            }
        }
    }

    private static void functionRef(String ref, String at, UdfConfig udf, Problems problems) {
        if (ref == null) {
            return;
        }
        if (!UdfConfig.FUNCTION_REF.matcher(ref).matches()) {
            problems.add(at, "'" + ref + "' must name a Python function as module.function");
        } else if (udf == null) {
            problems.add(at, "'" + ref + "' is a Python function but the pipeline has no udf.modules directory");
        }
    }

    private static void parser(ParserConfig parser, String at, Problems problems) {
        if (parser == null || parser.type() == null) {
            return;
        }
        boolean needsPattern = parser.type() == ParserType.REGEX || parser.type() == ParserType.HEADER_JSON;
        if (needsPattern && (parser.pattern() == null || parser.pattern().isEmpty())) {
            problems.add(at + ".pattern", "required for parser " + parser.type().wireName());
        } else if (!needsPattern && parser.pattern() != null) {
            problems.add(at + ".pattern", "not used by parser " + parser.type().wireName());
        }
        Long budget = parser.timeBudgetMs();
        if (budget != null && !needsPattern) {
            problems.add(at + ".time-budget-ms", "not used by parser " + parser.type().wireName()
                    + " (it bounds regex matching)");
        } else if (budget != null && (budget < 1 || budget > ParserConfig.MAX_TIME_BUDGET_MS)) {
            problems.add(at + ".time-budget-ms", "must be between 1 and " + ParserConfig.MAX_TIME_BUDGET_MS
                    + " ms, got " + budget);
        }
        if (parser.type() == ParserType.CSV) {
            if (parser.fields().isEmpty()) {
                problems.add(at + ".fields", "required for parser csv: the field names in order");
            }
            if (parser.delimiter().length() != 1) {
                problems.add(at + ".delimiter", "must be one character, got '" + parser.delimiter() + "'");
            }
        } else if (!parser.fields().isEmpty()) {
            problems.add(at + ".fields", "not used by parser " + parser.type().wireName());
        }
    }

    private static Set<String> columns(List<ColumnConfig> columns, String at, Problems problems) {
        Set<String> names = new HashSet<>();
        for (int c = 0; c < columns.size(); c++) {
            ColumnConfig column = columns.get(c);
            String path = at + ".columns[" + c + "]";
            if (column.name() != null && !names.add(column.name())) {
                problems.add(path + ".name", "duplicate column '" + column.name() + "'");
            }
            if (column.format() == null || column.type() == null) {
                continue;
            }
            if (column.type() != LogicalType.TIMESTAMP && column.type() != LogicalType.DATE) {
                problems.add(path + ".format", "only TIMESTAMP and DATE columns take a format");
                continue;
            }
            try {
                DateTimeFormatter.ofPattern(column.format());
            } catch (IllegalArgumentException e) {
                problems.add(path + ".format", "bad pattern '" + column.format() + "': " + e.getMessage());
            }
        }
        return names;
    }

    private static void derived(List<DerivedFieldConfig> derived, String at, Problems problems) {
        Set<String> names = new HashSet<>();
        for (int d = 0; d < derived.size(); d++) {
            String name = derived.get(d).name();
            if (name != null && !names.add(name)) {
                problems.add(at + "[" + d + "].name", "duplicate derived field '" + name + "'");
            }
        }
    }

    private static void sink(SinkConfig sink, Set<String> columns, String table, String at, Problems problems) {
        if (sink instanceof HudiSinkConfig hudi) {
            if (hudi.operation() == WriteOperation.UPSERT && hudi.recordKey().isEmpty()) {
                problems.add(at + ".record-key", "required for operation upsert: the columns that identify a row");
            }
            mustBeColumns(hudi.recordKey(), at + ".record-key", columns, table, problems);
            if (hudi.precombineField() != null) {
                mustBeColumns(List.of(hudi.precombineField()), at + ".precombine-field", columns, table, problems);
            }
        }
        if (sink instanceof KafkaSinkConfig kafka) {
            if (kafka.topic() != null && kafka.topic().isBlank()) {
                problems.add(at + ".topic", "must not be empty");
            }
            mustBeColumns(kafka.recordKey(), at + ".record-key", columns, table, problems);
            if (!KafkaSinkConfig.FORMATS.contains(kafka.format())) {
                problems.add(at + ".format", "unknown format '" + kafka.format() + "', expected one of "
                        + String.join(", ", KafkaSinkConfig.FORMATS));
            }
            if (KafkaSinkConfig.AVRO.equals(kafka.format())) {
                // Avro field names are stricter than column names; a column it cannot name fails here, not on the cluster.
                columns.stream().filter(c -> !KafkaSinkConfig.AVRO_NAME.matcher(c).matches()).sorted().forEach(c -> problems.add(
                        at + ".format", "column '" + c + "' is not a valid Avro field name (letters, digits, _; "
                                + "not starting with a digit)"));
            }
            if (kafka.schemaRegistry() != null) {
                schemaRegistry(kafka, at + ".schema-registry", problems);
            }
        }
        mustBeColumns(sink.partitionFields(), at + ".partition-fields", columns, table, problems);
    }

    private static void schemaRegistry(KafkaSinkConfig kafka, String at, Problems problems) {
        if (!KafkaSinkConfig.AVRO.equals(kafka.format())) {
            problems.add(at, "only format avro uses a schema registry, format is " + kafka.format());
            return;
        }
        try {
            URI uri = new URI(kafka.schemaRegistry());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add(at, "expected an http(s) URL like http://registry:8081, got '" + kafka.schemaRegistry() + "'");
            }
        } catch (URISyntaxException e) {
            problems.add(at, "not a URL: " + e.getMessage());
        }
    }

    private static void mustBeColumns(List<String> fields, String at, Set<String> columns, String table,
                                      Problems problems) {
        for (int i = 0; i < fields.size(); i++) {
            if (!columns.contains(fields.get(i))) {
                String path = at.endsWith("precombine-field") ? at : at + "[" + i + "]";
                problems.add(path, "'" + fields.get(i) + "' is not a column of " + table);
            }
        }
    }
}

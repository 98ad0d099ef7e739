package dev.sluice.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Binds a YAML tree to the config records; see {@link ConfigNode} for how problems are collected. */
final class ConfigBinder {
    private ConfigBinder() {
    }

    /** @param baseDir what relative paths in the config (the udf module directory) are relative to */
    static PipelineConfig bind(JsonNode root, Problems problems, Path baseDir) {
        ConfigNode node = new ConfigNode(root, "", problems);
        node.allowKeys("source", "tables", "udf");
        ConfigNode sourceNode = node.object("source", true);
        SourceConfig source = sourceNode == null ? null : source(sourceNode);
        List<TableConfig> tables = new ArrayList<>();
        for (ConfigNode table : node.objects("tables", true)) {
            tables.add(table(table));
        }
        ConfigNode udf = node.object("udf", false);
        return new PipelineConfig(source, tables, udf == null ? null : udf(udf, baseDir));
    }

    private static UdfConfig udf(ConfigNode node, Path baseDir) {
        node.allowKeys("modules", "time-budget-ms", "preprocess");
        String modules = node.text("modules", true);
        Long budget = node.integer("time-budget-ms");
        String preprocess = node.text("preprocess", false);
        if (modules == null) {
            return new UdfConfig(null, Map.of(), budget, preprocess);
        }
        Path dir = baseDir.resolve(modules).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            node.problem("modules", "'" + modules + "' is not a directory (resolved to " + dir + ")");
            return new UdfConfig(dir.toString(), Map.of(), budget, preprocess);
        }
        Map<String, String> sources = Map.of();
        try {
            sources = UdfConfig.readSources(dir);
        } catch (UncheckedIOException e) {
            node.problem("modules", e.getMessage() + ": " + e.getCause().getMessage());
        }
        if (sources.isEmpty()) {
            node.problem("modules", "no *.py module in " + dir);
        }
        for (String module : sources.keySet()) {
            if (!UdfConfig.MODULE_NAME.matcher(module).matches()) {
                node.problem("modules", "'" + module + ".py' in " + dir + " is not an importable module name");
            }
        }
        return new UdfConfig(dir.toString(), sources, budget, preprocess);
    }

    private static SourceConfig source(ConfigNode node) {
        node.allowKeys("topic", "group-id", "start", "start-timestamp");
        return new SourceConfig(node.text("topic", true), node.text("group-id", false),
                node.enumValue("start", false, StartMode.class, "start", m -> m.name().toLowerCase(Locale.ROOT)),
                node.integer("start-timestamp"));
    }

    private static TableConfig table(ConfigNode node) {
        node.allowKeys("name", "filter", "parser", "extensions", "columns", "route", "sinks", "salt", "dedup",
                "postprocess");
        ConfigNode filter = node.object("filter", false);
        ConfigNode parser = node.object("parser", true);
        ConfigNode extensions = node.object("extensions", false);
        List<ColumnConfig> columns = new ArrayList<>();
        for (ConfigNode column : node.objects("columns", true)) {
            columns.add(column(column));
        }
        List<SinkConfig> sinks = new ArrayList<>();
        for (ConfigNode sink : node.objects("sinks", false)) {
            SinkConfig bound = sink(sink);
            if (bound != null) {
                sinks.add(bound);
            }
        }
        Long salt = node.integer("salt");
        ConfigNode dedup = node.object("dedup", false);
        return new TableConfig(node.text("name", true), filter == null ? null : filter(filter),
                parser == null ? null : parser(parser), extensions == null ? null : extensions(extensions),
                columns, node.text("route", false), sinks, salt == null ? null : salt.intValue(),
                dedup == null ? null : dedup(dedup), node.text("postprocess", false));
    }

    private static DedupConfig dedup(ConfigNode node) {
        node.allowKeys("key", "within");
        List<String> key = node.texts("key");
        if (key.isEmpty()) {
            node.problem("key", "is required: the columns that identify a duplicate, e.g. [event_id]");
        }
        return new DedupConfig(key, node.duration("within", true));
    }

    private static FilterConfig filter(ConfigNode node) {
        node.allowKeys("include", "exclude");
        return new FilterConfig(node.texts("include"), node.texts("exclude"));
    }

    private static ParserConfig parser(ConfigNode node) {
        node.allowKeys("type", "pattern", "delimiter", "fields", "time-budget-ms");
        return new ParserConfig(node.enumValue("type", true, ParserType.class, "parser", ParserType::wireName),
                node.text("pattern", false), node.text("delimiter", false), node.texts("fields"),
                node.integer("time-budget-ms"));
    }

    private static ExtensionsConfig extensions(ConfigNode node) {
        node.allowKeys("flatten", "explode", "derived");
        List<DerivedFieldConfig> derived = new ArrayList<>();
        for (ConfigNode field : node.objects("derived", false)) {
            field.allowKeys("name", "function", "args");
            derived.add(new DerivedFieldConfig(field.text("name", true), field.text("function", true),
                    field.texts("args")));
        }
        return new ExtensionsConfig(node.texts("flatten"), node.text("explode", false), derived);
    }

    private static ColumnConfig column(ConfigNode node) {
        node.allowKeys("name", "type", "path", "required", "format");
        return new ColumnConfig(node.text("name", true),
                node.enumValue("type", true, LogicalType.class, "type", LogicalType::name),
                node.text("path", false), node.bool("required"), node.text("format", false));
    }

    private static SinkConfig sink(ConfigNode node) {
        String type = node.text("type", true);
        if (type == null) {
            return null;
        }
        switch (type) {
            case "hudi" -> {
                node.allowKeys("type", "table-type", "operation", "record-key", "precombine-field",
                        "partition-fields", "options");
                return new HudiSinkConfig(
                        node.enumValue("table-type", false, HudiTableType.class, "table type", HudiTableType::name),
                        node.enumValue("operation", false, WriteOperation.class, "operation",
                                WriteOperation::hudiName),
                        node.texts("record-key"), node.text("precombine-field", false),
                        node.texts("partition-fields"), node.textMap("options"), type);
            }
            case "hive" -> {
                node.allowKeys("type", "partition-fields");
                return new HiveSinkConfig(node.texts("partition-fields"), type);
            }
            case "kafka" -> {
                node.allowKeys("type", "topic", "record-key", "format", "schema-registry", "properties");
                return new KafkaSinkConfig(node.text("topic", true), node.texts("record-key"),
                        node.text("format", false), node.text("schema-registry", false), node.textMap("properties"));
            }
            default -> {
                node.problem("type", "unknown sink type '" + type + "', expected one of hudi, hive, kafka");
                return null;
            }
        }
    }
}

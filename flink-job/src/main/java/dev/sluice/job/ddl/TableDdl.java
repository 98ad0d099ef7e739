package dev.sluice.job.ddl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.HudiTableType;
import dev.sluice.job.TableTarget;
import dev.sluice.job.load.HiveMetastoreClient;
import dev.sluice.job.load.HiveSink;
import dev.sluice.job.load.HudiSink;
import dev.sluice.job.load.KafkaTableSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.hudi.common.model.HoodieRecord;
import org.apache.hudi.configuration.FlinkOptions;

/**
 * CREATE statements for the tables a job writes, derived from the job's own table targets: the row type
 * the sinks write ({@code TableSchemas}, {@code ErrorTable}), the paths they write to ({@code TablePaths})
 * and the Hudi options {@link HudiSink} writes with. Nothing here restates a schema, so the DDL cannot
 * drift from what lands in the lake.
 *
 * <p>Usage:
 * <pre>{@code
 * EtlJob job = EtlJob.builder().pipeline(config).bootstrapServers(...).lakeRoot("file:///lake").build();
 * TableDdl.statements(job.targets(), Dialect.FLINK).forEach(System.out::println);
 * }</pre>
 *
 * <p>Each statement is named after its directory under the lake root, so a table with both a Hudi and
 * a Hive sink appears twice: {@code db.t} (Hudi) and {@code db.t_hive} (its Parquet copy). Options of the
 * running job rather than of the table (writer parallelism, the file system settings, which may hold S3
 * credentials) are left out.
 */
public final class TableDdl {
    /** Hudi's Hadoop input formats: the read-optimized (base files) and the snapshot (base + logs) view. */
    static final String HUDI_INPUT = "org.apache.hudi.hadoop.HoodieParquetInputFormat";
    static final String HUDI_REALTIME_INPUT = "org.apache.hudi.hadoop.realtime.HoodieParquetRealtimeInputFormat";

    /** HudiSink options that size or place the writing job, not the table. */
    private static final Set<String> JOB_OPTIONS = Set.of(FlinkOptions.WRITE_TASKS.key(),
            FlinkOptions.BUCKET_ASSIGN_TASKS.key(), FlinkOptions.COMPACTION_TASKS.key());
    private static final String HADOOP_PREFIX = "hadoop.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableDdl() {
    }

    /** One {@code CREATE DATABASE} per database, then one {@code CREATE TABLE} per lake target, in order. */
    public static List<String> statements(List<TableTarget> targets, Dialect dialect) {
        requireSql(dialect);
        // Kafka sinks write topics, not tables of the lake.
        List<TableTarget> tables = targets.stream().filter(t -> !(t.sink() instanceof KafkaTableSink)).toList();
        Set<String> databases = new LinkedHashSet<>();
        tables.forEach(t -> databases.add(databaseOf(t)));
        List<String> result = new ArrayList<>();
        databases.forEach(db -> result.add("CREATE DATABASE IF NOT EXISTS " + quoteName(db)));
        tables.forEach(t -> result.add(createTable(t, dialect)));
        return result;
    }

    /**
     * The value schemas of the Kafka sinks with {@code format: avro}, as the sinks write and register them:
     * a pretty-printed JSON object of registry subject ({@code <topic>-value}) → Avro schema, in sink order;
     * {@code {}} without such sinks.
     */
    public static String avroSchemas(List<TableTarget> targets) {
        ObjectNode result = JSON.createObjectNode();
        for (TableTarget target : targets) {
            if (target.sink() instanceof KafkaTableSink kafka && kafka.avroSchema() != null) {
                try {
                    result.set(kafka.config().valueSubject(), JSON.readTree(kafka.avroSchema().toString()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("Avro wrote a schema that is not JSON", e);
                }
            }
        }
        return result.toPrettyString();
    }

    /** The CREATE TABLE statement of one target, without a trailing semicolon. */
    public static String createTable(TableTarget target, Dialect dialect) {
        requireSql(dialect);
        if (target.sink() instanceof HudiSink hudi) {
            return hudiTable(target, hudi, dialect);
        }
        if (target.sink() instanceof HiveSink hive) {
            return hiveTable(target, hive.partitionFields(), dialect);
        }
        throw new IllegalArgumentException("no DDL for the sink of table " + target.name() + ": "
                + target.sink().getClass().getSimpleName());
    }

    private static String hudiTable(TableTarget target, HudiSink sink, Dialect dialect) {
        HudiSinkConfig config = sink.config();
        RowType rowType = target.rowType();
        String name = qualifiedName(target);
        if (dialect == Dialect.FLINK) {
            List<String> lines = columns(rowType, List.of(), dialect, config.recordKey());
            if (!config.recordKey().isEmpty()) {
                lines.add("PRIMARY KEY (" + names(config.recordKey()) + ") NOT ENFORCED");
            }
            Map<String, String> with = new LinkedHashMap<>();
            with.put("connector", "hudi");
            with.putAll(new TreeMap<>(tableOptions(sink)));
            return "CREATE TABLE IF NOT EXISTS " + name + " (\n" + indent(lines) + "\n)"
                    + partitionedBy(config.partitionFields()) + "\nWITH (\n" + properties(with, dialect) + "\n)";
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("type", config.tableType() == HudiTableType.MERGE_ON_READ ? "mor" : "cow");
        if (!config.recordKey().isEmpty()) {
            properties.put("primaryKey", String.join(",", config.recordKey()));
        }
        if (config.precombineField() != null) {
            properties.put("preCombineField", config.precombineField());
        }
        new TreeMap<>(tableOptions(sink)).forEach((key, value) -> {
            // Hudi's own keys only: the others are Flink writer options Spark and Hive do not know; the
            // table name is the statement's.
            if (key.startsWith("hoodie.") && !key.equals(FlinkOptions.TABLE_NAME.key())) {
                properties.put(key, value);
            }
        });
        String tblProperties = "\nTBLPROPERTIES (\n" + properties(properties, dialect) + "\n)";
        String location = "\nLOCATION " + literal(target.path(), dialect);
        if (dialect == Dialect.SPARK) {
            return "CREATE TABLE IF NOT EXISTS " + name + " (\n" + indent(columns(rowType, List.of(), dialect, List.of()))
                    + "\n) USING hudi" + partitionedBy(config.partitionFields()) + location + tblProperties;
        }
        // Hive sees Hudi's meta columns in the files, as Hudi's own Hive sync declares them.
        List<String> lines = new ArrayList<>();
        HoodieRecord.HOODIE_META_COLUMNS.forEach(c -> lines.add(quoteName(c) + " string"));
        lines.addAll(columns(rowType, config.partitionFields(), dialect, List.of()));
        String input = config.tableType() == HudiTableType.MERGE_ON_READ ? HUDI_REALTIME_INPUT : HUDI_INPUT;
        return "CREATE EXTERNAL TABLE IF NOT EXISTS " + name + " (\n" + indent(lines) + "\n)"
                + hivePartitionedBy(rowType, config.partitionFields()) + hiveStorage(input, dialect) + location
                + tblProperties;
    }

    private static String hiveTable(TableTarget target, List<String> partitionFields, Dialect dialect) {
        RowType rowType = target.rowType();
        String name = qualifiedName(target);
        String location = literal(target.path(), dialect);
        return switch (dialect) {
            case HIVE -> "CREATE EXTERNAL TABLE IF NOT EXISTS " + name + " (\n"
                    + indent(columns(rowType, partitionFields, dialect, List.of())) + "\n)"
                    + hivePartitionedBy(rowType, partitionFields)
                    + hiveStorage(HiveMetastoreClient.PARQUET_INPUT, dialect) + "\nLOCATION " + location;
            case SPARK -> "CREATE TABLE IF NOT EXISTS " + name + " (\n"
                    + indent(columns(rowType, List.of(), dialect, List.of())) + "\n) USING parquet"
                    + partitionedBy(partitionFields) + "\nLOCATION " + location;
            case AVRO -> throw new IllegalArgumentException("no CREATE TABLE in Avro");
            case FLINK -> {
                Map<String, String> with = new LinkedHashMap<>();
                with.put("connector", "filesystem");
                with.put("path", target.path());
                with.put("format", "parquet");
                // HiveSink writes timestamps as UTC INT96, as Hive and Spark read them.
                with.put("parquet.utc-timezone", "true");
                yield "CREATE TABLE IF NOT EXISTS " + name + " (\n"
                        + indent(columns(rowType, List.of(), dialect, List.of())) + "\n)"
                        + partitionedBy(partitionFields) + "\nWITH (\n" + properties(with, dialect) + "\n)";
            }
        };
    }

    private static void requireSql(Dialect dialect) {
        if (!Dialect.SQL.contains(dialect)) {
            throw new IllegalArgumentException("Avro is not an SQL dialect: use avroSchemas for the Kafka sinks' schemas");
        }
    }

    /** The Hudi options that define the table (the job's sizing and file system settings left out). */
    private static Map<String, String> tableOptions(HudiSink sink) {
        return sink.options().entrySet().stream()
                .filter(e -> !JOB_OPTIONS.contains(e.getKey()) && !e.getKey().startsWith(HADOOP_PREFIX))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Column definitions except {@code excluded}; Flink marks required and key columns NOT NULL. */
    private static List<String> columns(RowType rowType, List<String> excluded, Dialect dialect, List<String> key) {
        List<String> lines = new ArrayList<>();
        for (RowType.RowField field : rowType.getFields()) {
            if (excluded.contains(field.getName())) {
                continue;
            }
            LogicalType type = field.getType();
            if (key.contains(field.getName())) {
                // Flink refuses a nullable primary key column; Hudi refuses a null record key anyway.
                type = type.copy(false);
            }
            lines.add(quoteName(field.getName()) + " " + typeName(type, dialect));
        }
        return lines;
    }

    private static String typeName(LogicalType type, Dialect dialect) {
        // Spark SQL names these types as Hive does; nullability is left to the files.
        return dialect == Dialect.FLINK ? type.asSummaryString() : HiveMetastoreClient.hiveType(type);
    }

    private static String partitionedBy(List<String> fields) {
        return fields.isEmpty() ? "" : "\nPARTITIONED BY (" + names(fields) + ")";
    }

    /** Hive declares partition columns apart from the data columns, with their types. */
    private static String hivePartitionedBy(RowType rowType, List<String> fields) {
        if (fields.isEmpty()) {
            return "";
        }
        return "\nPARTITIONED BY (" + fields.stream()
                .map(f -> quoteName(f) + " " + HiveMetastoreClient.hiveType(rowType.getTypeAt(rowType.getFieldIndex(f))))
                .collect(Collectors.joining(", ")) + ")";
    }

    private static String hiveStorage(String inputFormat, Dialect dialect) {
        return "\nROW FORMAT SERDE " + literal(HiveMetastoreClient.PARQUET_SERDE, dialect)
                + "\nSTORED AS INPUTFORMAT " + literal(inputFormat, dialect)
                + "\nOUTPUTFORMAT " + literal(HiveMetastoreClient.PARQUET_OUTPUT, dialect);
    }

    private static String properties(Map<String, String> properties, Dialect dialect) {
        return indent(properties.entrySet().stream()
                .map(e -> literal(e.getKey(), dialect) + " = " + literal(e.getValue(), dialect))
                .toList());
    }

    private static String indent(List<String> lines) {
        return lines.stream().map(l -> "  " + l).collect(Collectors.joining(",\n"));
    }

    private static String names(List<String> fields) {
        return fields.stream().map(TableDdl::quoteName).collect(Collectors.joining(", "));
    }

    /** {@code `db`.`dir`}: the table's directory under the lake root names it (see the class comment). */
    private static String qualifiedName(TableTarget target) {
        String path = target.path();
        return quoteName(databaseOf(target)) + "." + quoteName(path.substring(path.lastIndexOf('/') + 1));
    }

    private static String databaseOf(TableTarget target) {
        return target.name().substring(0, target.name().indexOf('.'));
    }

    private static String quoteName(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** A string literal: Flink SQL doubles a quote, HiveQL and Spark SQL escape it with a backslash. */
    private static String literal(String value, Dialect dialect) {
        String escaped = dialect == Dialect.FLINK ? value.replace("'", "''")
                : value.replace("\\", "\\\\").replace("'", "\\'");
        return "'" + escaped + "'";
    }
}

package dev.sluice.backfill;

import dev.sluice.core.config.HiveSinkConfig;
import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.SinkConfig;
import dev.sluice.core.config.TableConfig;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.error.ErrorTable;
import dev.sluice.job.load.HiveSink;
import dev.sluice.job.load.HudiSink;
import dev.sluice.job.load.PartitionPath;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The table a replay repairs, resolved against the pipeline exactly as the streaming job resolves it
 * ({@link EtlJob#targets()}: same paths, same sink definitions), plus the requested partition.
 *
 * @param config          the stream table's config
 * @param target          the sink being repaired (its path, row type, sink definition)
 * @param sinkConfig      that sink's config ({@link HiveSinkConfig} or {@link HudiSinkConfig})
 * @param errors          the database's error table
 * @param partitionFields the sink's partition fields
 * @param partitionValues the requested partition's values, in field order (empty: whole table)
 * @param day             the partition's day: the first value that is a {@code yyyy-MM-dd} date (null: whole
 *                        table)
 */
record ReplayTarget(TableConfig config, TableTarget target, SinkConfig sinkConfig, TableTarget errors,
                    List<String> partitionFields, List<String> partitionValues, LocalDate day) {

    boolean isHive() {
        return sinkConfig instanceof HiveSinkConfig;
    }

    String name() {
        return config.name();
    }

    String database() {
        return config.database();
    }

    /** The table's name in its database (the metastore's name of a Hive table). */
    String tableName() {
        return config.table();
    }

    /** The table's base path ({@code file:///lake/db/table}). */
    String basePath() {
        return target.path();
    }

    HiveSink hiveSink() {
        return (HiveSink) target.sink();
    }

    HudiSink hudiSink() {
        return (HudiSink) target.sink();
    }

    /**
     * @throws ReplayException (usage) when the pipeline has no such table, the table no such sink, or the
     *                         partition does not match the sink's partition fields
     */
    static ReplayTarget resolve(ReplayRequest request) {
        TableConfig table = request.pipeline().tables().stream().filter(t -> t.name().equals(request.table()))
                .findFirst().orElseThrow(() -> ReplayException.usage("unknown table " + request.table()
                        + ": pipeline of topic " + request.pipeline().source().topic() + " has "
                        + request.pipeline().tables().stream().map(TableConfig::name).toList()));
        boolean hive = table.sinks().stream().anyMatch(HiveSinkConfig.class::isInstance);
        boolean hudi = table.sinks().stream().anyMatch(HudiSinkConfig.class::isInstance);
        String kind = request.sink() != null ? request.sink() : hive ? "hive" : "hudi";
        if (kind.equals("hive") ? !hive : !hudi) {
            throw ReplayException.usage("table " + table.name() + " has no " + kind + " sink");
        }
        SinkConfig sinkConfig = table.sinks().stream()
                .filter(kind.equals("hive") ? HiveSinkConfig.class::isInstance : HudiSinkConfig.class::isInstance)
                .findFirst().orElseThrow();
        // The streaming job's own resolution: the broker address plays no part in paths and sink definitions.
        EtlJob job = EtlJob.builder().pipeline(request.pipeline())
                .bootstrapServers(request.bootstrapServers() == null ? "unused:0" : request.bootstrapServers())
                .lakeRoot(request.lakeRoot()).metastoreUri(request.metastoreUri()).build();
        String format = kind.equals("hive") ? "hive" : "hudi-";
        TableTarget target = job.targets().stream()
                .filter(t -> t.name().equals(table.name()) && t.format().startsWith(format))
                .findFirst().orElseThrow();
        TableTarget errors = job.targets().stream()
                .filter(t -> t.name().equals(ErrorTable.nameFor(table.database()))).findFirst().orElseThrow();

        List<String> fields = sinkConfig instanceof HiveSinkConfig h ? h.partitionFields()
                : ((HudiSinkConfig) sinkConfig).partitionFields();
        if (request.partition() == null) {
            return new ReplayTarget(table, target, sinkConfig, errors, fields, List.of(), null);
        }
        List<String> keys = new ArrayList<>();
        for (String segment : request.partition().split("/")) {
            keys.add(segment.substring(0, segment.indexOf('=')));
        }
        if (!keys.equals(fields)) {
            throw ReplayException.usage("partition " + request.partition() + " does not match the partition fields "
                    + fields + " of " + table.name() + "'s " + kind + " sink");
        }
        List<String> values = PartitionPath.valuesOf(request.partition());
        LocalDate day = null;
        for (String value : values) {
            try {
                day = LocalDate.parse(value);
                break;
            } catch (DateTimeParseException notADate) {
                // the next value may be the day
            }
        }
        if (day == null) {
            throw ReplayException.usage("partition " + request.partition() + " has no yyyy-MM-dd value: the ingest"
                    + " window to replay is the partition's day");
        }
        return new ReplayTarget(table, target, sinkConfig, errors, fields, values, day);
    }
}

package dev.sluice.job;

import dev.sluice.core.config.HiveSinkConfig;
import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.KafkaSinkConfig;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.SinkConfig;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.record.RawRecord;
import dev.sluice.job.dedup.Dedup;
import dev.sluice.job.error.ErrorDatabaseFilter;
import dev.sluice.job.error.ErrorTable;
import dev.sluice.job.format.TableSchemas;
import dev.sluice.job.load.HiveSink;
import dev.sluice.job.load.HudiSink;
import dev.sluice.job.load.KafkaTableSink;
import dev.sluice.job.load.LakeStorage;
import dev.sluice.job.load.TablePaths;
import dev.sluice.job.load.WriterStallWatchdog;
import dev.sluice.job.pipeline.RecordProcessor;
import dev.sluice.job.reload.ConfigReloader;
import dev.sluice.job.source.RawSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.OutputTag;

/**
 * The ETL job of one source topic: one Kafka source, one {@link EtlFunction} hosting every stream
 * table of the topic, one sink per table sink, and the error table of each database.
 *
 * <p>Usage:
 * <pre>{@code
 * EtlJob job = EtlJob.builder().pipeline(config).bootstrapServers("127.0.0.1:9092")
 *     .lakeRoot("file:///data/lake").build();
 * job.attachTo(env);
 * env.execute(job.name());
 * }</pre>
 */
public final class EtlJob {
    private final PipelineConfig pipeline;
    private final String bootstrapServers;
    private final String lakeRoot;
    private final int sinkParallelism;
    private final Duration slaTtl;
    private final String metastoreUri;
    private final LakeStorage storage;
    private final Path configLocation;
    private final boolean bounded;
    private final Duration writerStallTimeout;
    private final List<TableTarget> targets;

    private EtlJob(PipelineConfig pipeline, String bootstrapServers, String lakeRoot, int sinkParallelism,
                   Duration slaTtl, String metastoreUri, LakeStorage storage, Path configLocation, boolean bounded,
                   Duration writerStallTimeout) {
        this.pipeline = pipeline;
        this.bootstrapServers = bootstrapServers;
        this.lakeRoot = lakeRoot;
        this.sinkParallelism = sinkParallelism;
        this.slaTtl = slaTtl;
        this.metastoreUri = metastoreUri;
        this.storage = storage;
        this.configLocation = configLocation;
        this.bounded = bounded;
        this.writerStallTimeout = writerStallTimeout;
        this.targets = List.copyOf(resolveTargets());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The source topic this job reads. */
    public String topic() {
        return pipeline.source().topic();
    }

    /** {@code sluice-etl-<topic>}. */
    public String name() {
        return nameFor(pipeline);
    }

    /** The name of the job that runs {@code pipeline}, known before the job is built: {@code sluice-etl-<topic>}. */
    public static String nameFor(PipelineConfig pipeline) {
        return "sluice-etl-" + pipeline.source().topic();
    }

    /** Every table this job writes, data tables first, then error tables. */
    public List<TableTarget> targets() {
        return targets;
    }

    /** Adds source, stages and sinks to {@code env}. */
    public void attachTo(StreamExecutionEnvironment env) {
        String topic = pipeline.source().topic();
        DataStream<RawRecord> raw = env
                .fromSource(RawSources.kafka(bootstrapServers, pipeline.source(), bounded), WatermarkStrategy.noWatermarks(),
                        "kafka:" + topic)
                .uid("source-" + topic);

        Map<String, OutputTag<RowData>> tableOutputs = new LinkedHashMap<>();
        for (TableConfig table : pipeline.tables()) {
            tableOutputs.put(table.name(),
                    new OutputTag<>("table-" + table.name(), InternalTypeInfo.of(TableSchemas.rowType(table))));
        }
        OutputTag<RowData> errorOutput = new OutputTag<>("errors", InternalTypeInfo.of(ErrorTable.ROW_TYPE));
        SingleOutputStreamOperator<Void> etl = raw
                .process(new EtlFunction(new RecordProcessor(pipeline), tableOutputs, errorOutput, slaTtl,
                        configLocation == null ? null : new ConfigReloader(configLocation), writerStallTimeout),
                        Types.VOID)
                .name("etl:" + topic)
                .uid("etl-" + topic);
        // Writers chained to the ETL operator must not share the source's task (Prepartitioning says why);
        // the forward exchange keeps each Kafka partition's order.
        if (targets.stream().anyMatch(t -> t.sink().writesInPlace(etl.getParallelism()))) {
            etl.startNewChain();
        }

        // One dedup stage per table, shared by the table's sinks.
        Map<String, DataStream<RowData>> tableRows = new LinkedHashMap<>();
        for (TableConfig table : pipeline.tables()) {
            tableRows.put(table.name(), Dedup.apply(etl.getSideOutput(tableOutputs.get(table.name())), table,
                    TableSchemas.rowType(table), slaTtl));
        }
        for (TableTarget target : targets) {
            DataStream<RowData> rows = target.name().endsWith("." + ErrorTable.TABLE_SUFFIX)
                    ? errorsOf(etl.getSideOutput(errorOutput), target.name())
                    : tableRows.get(target.name());
            target.sink().writeTo(rows);
        }
    }

    private DataStream<RowData> errorsOf(DataStream<RowData> errors, String errorTable) {
        Set<String> databases = databases();
        if (databases.size() == 1) {
            return errors;
        }
        String database = errorTable.substring(0, errorTable.indexOf('.'));
        boolean fallback = database.equals(databases.iterator().next());
        return errors.filter(new ErrorDatabaseFilter(database, fallback)).name("errors:" + database);
    }

    private Set<String> databases() {
        Set<String> databases = new LinkedHashSet<>();
        pipeline.tables().forEach(t -> databases.add(t.database()));
        return databases;
    }

    private List<TableTarget> resolveTargets() {
        List<TableTarget> result = new ArrayList<>();
        boolean soleDataSink = pipeline.tables().stream().mapToInt(t -> t.sinks().size()).sum() == 1;
        for (TableConfig table : pipeline.tables()) {
            RowType rowType = TableSchemas.rowType(table);
            for (SinkConfig sink : table.sinks()) {
                if (sink instanceof HudiSinkConfig hudi) {
                    result.add(hudiTarget(table.name(), table.database(), table.table(), rowType, hudi,
                            table.salt(), soleDataSink));
                } else if (sink instanceof HiveSinkConfig hive) {
                    result.add(hiveTarget(table, rowType, hive, soleDataSink));
                } else if (sink instanceof KafkaSinkConfig kafka) {
                    result.add(kafkaTarget(table, rowType, kafka));
                }
            }
        }
        for (String database : databases()) {
            result.add(hudiTarget(ErrorTable.nameFor(database), database, ErrorTable.TABLE_SUFFIX,
                    ErrorTable.ROW_TYPE, ErrorTable.SINK, TableConfig.DEFAULT_SALT, false));
        }
        return result;
    }

    private TableTarget hudiTarget(String name, String database, String table, RowType rowType, HudiSinkConfig config,
                                   int salt, boolean soleSink) {
        String path = TablePaths.of(lakeRoot, database, table);
        HudiSink sink = HudiSink.builder().table(name).rowType(rowType).config(config).basePath(path)
                .parallelism(sinkParallelism).salt(salt).soleSink(soleSink).storage(storage).build();
        return new TableTarget(name, TableTarget.formatOf(config.tableType()), path, rowType, sink);
    }

    private TableTarget hiveTarget(TableConfig table, RowType rowType, HiveSinkConfig config, boolean soleSink) {
        // A table with a Hudi sink too keeps its Parquet copy beside the Hudi table, not inside it.
        boolean alsoHudi = table.sinks().stream().anyMatch(HudiSinkConfig.class::isInstance);
        String path = TablePaths.of(lakeRoot, table.database(), table.table() + (alsoHudi ? "_hive" : ""));
        HiveSink sink = HiveSink.builder().table(table.name()).rowType(rowType).config(config).basePath(path)
                .metastoreUri(metastoreUri).parallelism(sinkParallelism).salt(table.salt()).soleSink(soleSink)
                .build();
        return new TableTarget(table.name(), TableTarget.HIVE, path, rowType, sink);
    }

    private TableTarget kafkaTarget(TableConfig table, RowType rowType, KafkaSinkConfig config) {
        KafkaTableSink sink = KafkaTableSink.builder().table(table.name()).rowType(rowType).config(config)
                .bootstrapServers(bootstrapServers).parallelism(sinkParallelism).build();
        return new TableTarget(table.name(), TableTarget.KAFKA, config.topic(), rowType, sink);
    }

    /** Builds an {@link EtlJob}; pipeline, bootstrap servers and lake root are required. */
    public static final class Builder {
        private PipelineConfig pipeline;
        private String bootstrapServers;
        private String lakeRoot;
        private int sinkParallelism = 1;
        private Duration slaTtl = Duration.ofDays(7);
        private String metastoreUri;
        private LakeStorage storage = LakeStorage.DEFAULT;
        private Path configLocation;
        private boolean bounded;
        private Duration writerStallTimeout = WriterStallWatchdog.DEFAULT_TIMEOUT;

        public Builder pipeline(PipelineConfig value) {
            pipeline = value;
            return this;
        }

        public Builder bootstrapServers(String value) {
            bootstrapServers = value;
            return this;
        }

        /** Root of the lake: a local directory, {@code file:///...} or {@code s3a://bucket/prefix}. */
        public Builder lakeRoot(String value) {
            lakeRoot = value;
            return this;
        }

        public Builder sinkParallelism(int value) {
            sinkParallelism = value;
            return this;
        }

        /** How long day-keyed SLA counters are kept (default 7 days). */
        public Builder slaTtl(Duration value) {
            slaTtl = value;
            return this;
        }

        /** Hive Metastore of the Hive tables ({@code thrift://host:9083}); unset: Parquet files only, no registration. */
        public Builder metastoreUri(String value) {
            metastoreUri = value;
            return this;
        }

        /** File system settings of the lake root, e.g. {@link LakeStorage#s3} for {@code s3a://} roots. */
        public Builder lakeStorage(LakeStorage value) {
            storage = Objects.requireNonNull(value, "lakeStorage");
            return this;
        }

        /**
         * The YAML file {@link #pipeline} was loaded from, re-read at every checkpoint for hot reload (see
         * {@link ConfigReloader}); unset (default): the config is fixed for the job's life.
         */
        public Builder configLocation(Path value) {
            configLocation = value;
            return this;
        }

        /**
         * Bounded: read up to the topic's latest offsets at start, then finish (benchmarks, re-processing);
         * default false (unbounded).
         */
        public Builder bounded(boolean value) {
            bounded = value;
            return this;
        }

        /**
         * How long a Hudi writer may wait for an instant before its task is failed and the job restarts
         * from its last checkpoint ({@link WriterStallWatchdog}); default 2 minutes.
         */
        public Builder writerStallTimeout(Duration value) {
            writerStallTimeout = Objects.requireNonNull(value, "writerStallTimeout");
            return this;
        }

        public EtlJob build() {
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(lakeRoot, "lakeRoot");
            if (pipeline.tables().isEmpty()) {
                throw new IllegalArgumentException("pipeline of topic " + pipeline.source().topic() + " has no tables");
            }
            if (slaTtl.isNegative()) {
                throw new IllegalArgumentException("slaTtl must not be negative, was " + slaTtl);
            }
            if (writerStallTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("writerStallTimeout must be at least 1 s (a normal wait for the "
                        + "next instant lasts a commit), was " + writerStallTimeout);
            }
            if (configLocation != null && !Files.isRegularFile(configLocation)) {
                throw new IllegalArgumentException("configLocation " + configLocation
                        + " is not a file; set it to the pipeline YAML the job was loaded from, or leave it unset");
            }
            return new EtlJob(pipeline, bootstrapServers, lakeRoot, sinkParallelism, slaTtl, metastoreUri, storage,
                    configLocation, bounded, writerStallTimeout);
        }
    }
}

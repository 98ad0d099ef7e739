package dev.sluice.job.load;

import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.HudiTableType;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.config.WriteOperation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.hudi.common.config.HoodieStorageConfig;
import org.apache.hudi.config.HoodieWriteConfig;
import org.apache.hudi.configuration.FlinkOptions;
import org.apache.hudi.util.HoodiePipeline;

/**
 * Writes a stream of rows to a Hudi table whose schema is derived from the stream table's row type.
 *
 * <p>Usage:
 * <pre>{@code
 * HudiSink.builder()
 *     .table("app.events").rowType(rowType).config(hudiSinkConfig)
 *     .basePath("file:///data/lake/app/events").parallelism(2)
 *     .build()
 *     .writeTo(rows);
 * }</pre>
 *
 * <p>Semantics: rows are buffered by Hudi's write operators and committed as one instant when a
 * checkpoint completes, so with a checkpointed source the table is exactly-once. Upsert keeps the row
 * with the greatest precombine value per record key (the later write when no precombine field is set);
 * rows of kind DELETE remove their key. Partitions are Hive-style ({@code dt=2026-11-23/}).
 */
public final class HudiSink implements LakeSink {
    /** MOR tables are compacted after this many delta commits (one per checkpoint) unless options say otherwise. */
    public static final int MOR_COMPACTION_DELTA_COMMITS = 5;
    /**
     * Parquet codec of Sluice's Hudi tables unless options say otherwise, as Flink's Parquet writer
     * (Sluice's Hive tables), Spark and Delta write. Hudi 0.14's own default, gzip, took about 40 % of
     * a writer thread's CPU in bench/etl; zstd compresses better than gzip at about the CPU of snappy
     * but Spark 3.3/3.4's non-vectorized reader leaks off-heap memory on it (PARQUET-2160), and
     * Hive before 4 cannot read it (docs/lake.md).
     */
    public static final String PARQUET_CODEC = "snappy";
    /**
     * False-positive rate of the record-key bloom filter Hudi 0.14's writers put into every base file's
     * footer, unless options say otherwise. Nothing Sluice runs reads these filters: its upserts find keys
     * in Flink state, Spark's default index (SIMPLE) reads the keys themselves and query engines skip the
     * filters; only a writer that opts into Hudi's BLOOM index uses them. At Hudi's 1e-9 a filter takes
     * about 30 hashes per key (8 % of the ETL + writer thread in bench/etl); at 1 %, Parquet's own
     * default for its column bloom filters, it takes 7, in a quarter of the bits.
     */
    public static final String BLOOM_FPP = "0.01";
    /**
     * Keys per step of Hudi's dynamic bloom filter, unless options say otherwise. Hudi sizes the first
     * step for 60,000 keys, so even a file of a hundred rows carried a 434 KB filter in its footer, which
     * every reader of the file reads; Sluice writes a file per partition, writer and checkpoint, and such
     * footers were 94 % of the demo's Hudi tables. At 10,000 keys a step the filter grows with the file.
     */
    public static final int BLOOM_KEYS_PER_STEP = 10_000;
    /** Where Sluice's tables differ from Hudi 0.14's defaults whatever their type; a table's options win. */
    public static final Map<String, String> TABLE_DEFAULTS = Map.of(
            HoodieStorageConfig.PARQUET_COMPRESSION_CODEC_NAME.key(), PARQUET_CODEC,
            HoodieStorageConfig.BLOOM_FILTER_FPP_VALUE.key(), BLOOM_FPP,
            HoodieStorageConfig.BLOOM_FILTER_NUM_ENTRIES_VALUE.key(), String.valueOf(BLOOM_KEYS_PER_STEP));

    private final String table;
    private final RowType rowType;
    private final HudiSinkConfig config;
    private final Map<String, String> options;
    private final PartitionPath partition;
    private final int salt;
    private final int parallelism;
    private final boolean soleSink;
    private final boolean bucketIndexUpsert;

    private HudiSink(String table, RowType rowType, HudiSinkConfig config, Map<String, String> options,
                     PartitionPath partition, int salt, int parallelism, boolean soleSink) {
        this.table = table;
        this.rowType = rowType;
        this.config = config;
        this.options = Map.copyOf(options);
        this.partition = partition;
        this.salt = salt;
        this.parallelism = parallelism;
        this.soleSink = soleSink;
        this.bucketIndexUpsert = config.operation() == WriteOperation.UPSERT && BucketIndexWrite.appliesTo(this.options);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds the salted pre-partitioning ({@link Prepartitioning}) and the Hudi write operators for
     * {@code rows} to their environment. The salt bounds the files of {@code insert} (append) writes per
     * partition; upserts are routed to file groups by Hudi's own bucket assigner after it. Upserts with
     * the bucket index skip the salt: their rows go straight to their bucket's writer ({@link BucketIndexWrite}).
     */
    @Override
    public DataStreamSink<?> writeTo(DataStream<RowData> rows) {
        if (bucketIndexUpsert) {
            return BucketIndexWrite.writeTo(pipeline(), rows);
        }
        return pipeline().sink(
                Prepartitioning.apply(rows, table, partition, salt, config.recordKey(), parallelism, soleSink), false);
    }

    @Override
    public boolean writesInPlace(int producerParallelism) {
        return soleSink && !bucketIndexUpsert && Prepartitioning.writesInPlace(salt, parallelism, producerParallelism);
    }

    @Override
    public List<org.apache.flink.types.Row> readAll() throws Exception {
        return HudiTableReader.readAll(this, rowType);
    }

    /** The same table definition, for reading it back. */
    HoodiePipeline.Builder pipeline() {
        HoodiePipeline.Builder builder = HoodiePipeline.builder(table.replace('.', '_'))
                .schema(Schema.newBuilder()
                        .fromRowDataType(TypeConversions.fromLogicalToDataType(rowType))
                        .build())
                .options(options);
        if (!config.recordKey().isEmpty()) {
            builder.pk(config.recordKey().toArray(String[]::new));
        }
        if (!config.partitionFields().isEmpty()) {
            builder.partition(config.partitionFields().toArray(String[]::new));
        }
        return builder;
    }

    /** The Hudi options this sink writes with (for logs, DDL and tests). */
    public Map<String, String> options() {
        return options;
    }

    /** The table definition: type, record key, precombine field, partition fields. */
    public HudiSinkConfig config() {
        return config;
    }

    /**
     * Builds a {@link HudiSink}; {@link #build()} checks the table definition against the row type and
     * reports every problem at once.
     */
    public static final class Builder {
        private String table;
        private RowType rowType;
        private HudiSinkConfig config;
        private String basePath;
        private int parallelism = 1;
        private int salt = TableConfig.DEFAULT_SALT;
        private boolean soleSink;
        private LakeStorage storage = LakeStorage.DEFAULT;

        public Builder table(String value) {
            table = value;
            return this;
        }

        public Builder rowType(RowType value) {
            rowType = value;
            return this;
        }

        public Builder config(HudiSinkConfig value) {
            config = value;
            return this;
        }

        public Builder basePath(String value) {
            basePath = value;
            return this;
        }

        /** Number of Hudi write (and bucket assign) subtasks. */
        public Builder parallelism(int value) {
            parallelism = value;
            return this;
        }

        /** Writer subtasks one partition is spread over; 0 turns pre-partitioning off (rebalance). */
        public Builder salt(int value) {
            salt = value;
            return this;
        }

        /** Whether this is its job's only data sink (default false): then it may write in place ({@link Prepartitioning}). */
        public Builder soleSink(boolean value) {
            soleSink = value;
            return this;
        }

        /** File system settings for the base path (e.g. {@link LakeStorage#s3}); default: none. */
        public Builder storage(LakeStorage value) {
            storage = Objects.requireNonNull(value, "storage");
            return this;
        }

        public HudiSink build() {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(rowType, "rowType");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(basePath, "basePath");
            List<String> problems = new ArrayList<>();
            List<String> columns = rowType.getFieldNames();
            if (config.operation() == WriteOperation.UPSERT && config.recordKey().isEmpty()) {
                problems.add("operation upsert needs record-key (the columns that identify a row)");
            }
            config.recordKey().stream().filter(c -> !columns.contains(c))
                    .forEach(c -> problems.add("record-key column '" + c + "' is not a column of the table"));
            PartitionPath partition = null;
            try {
                partition = PartitionPath.of(rowType, config.partitionFields());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            if (config.precombineField() != null && !columns.contains(config.precombineField())) {
                problems.add("precombine-field '" + config.precombineField() + "' is not a column of the table");
            }
            if (parallelism < 1) {
                problems.add("parallelism must be at least 1, was " + parallelism);
            }
            if (salt < 0) {
                problems.add("salt must be 0 (off) or more, was " + salt);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("Hudi sink of table " + table + ": " + String.join("; ", problems));
            }
            Map<String, String> options = new HashMap<>();
            options.put(FlinkOptions.PATH.key(), basePath);
            options.put(FlinkOptions.TABLE_NAME.key(), table.replace('.', '_'));
            options.put(FlinkOptions.TABLE_TYPE.key(), config.tableType().name());
            options.put(FlinkOptions.OPERATION.key(), config.operation().hudiName());
            options.put(FlinkOptions.PRECOMBINE_FIELD.key(),
                    config.precombineField() == null ? FlinkOptions.NO_PRE_COMBINE : config.precombineField());
            options.put(FlinkOptions.HIVE_STYLE_PARTITIONING.key(), "true");
            options.putAll(TABLE_DEFAULTS);
            options.put(FlinkOptions.WRITE_TASKS.key(), String.valueOf(parallelism));
            options.put(FlinkOptions.BUCKET_ASSIGN_TASKS.key(), String.valueOf(parallelism));
            if (config.operation() == WriteOperation.INSERT) {
                // Insert takes Hudi 0.14's append path, whose writer waits in its task thread, at the first
                // row after a checkpoint, for the coordinator to start a new instant. After a checkpoint in
                // which the writer wrote nothing the coordinator only acknowledges (a task mail the waiting
                // thread never reads) and starts none: the job stalls until the checkpoint timeout. Every
                // job start with a backlog hit it (the first checkpoint comes before the first rows reach
                // the writers). Committing empty checkpoints makes the coordinator start the next instant
                // every time (docs/lake.md, Known limitation); the cost is an empty commit per idle checkpoint.
                options.put(HoodieWriteConfig.ALLOW_EMPTY_COMMIT.key(), "true");
            }
            if (config.tableType() == HudiTableType.MERGE_ON_READ) {
                // Sluice's documented MOR defaults (docs/lake.md): compaction planned and run inside the
                // job, asynchronously, every 5 delta commits, by as many tasks as writers.
                options.put(FlinkOptions.COMPACTION_SCHEDULE_ENABLED.key(), "true");
                options.put(FlinkOptions.COMPACTION_ASYNC_ENABLED.key(), "true");
                options.put(FlinkOptions.COMPACTION_TRIGGER_STRATEGY.key(), FlinkOptions.NUM_COMMITS);
                options.put(FlinkOptions.COMPACTION_DELTA_COMMITS.key(), String.valueOf(MOR_COMPACTION_DELTA_COMMITS));
                options.put(FlinkOptions.COMPACTION_TASKS.key(), String.valueOf(parallelism));
            }
            // Hudi builds its Hadoop configuration from the table options with this prefix.
            storage.hadoopOptions().forEach((key, value) -> options.put("hadoop." + key, value));
            // Configured options win: they are the user's documented escape hatch.
            options.putAll(config.options());
            return new HudiSink(table, rowType, config, options, partition, salt, parallelism, soleSink);
        }
    }
}

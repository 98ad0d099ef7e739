package dev.sluice.job.load;

import dev.sluice.core.config.HiveSinkConfig;
import dev.sluice.core.config.TableConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.row.ParquetRowDataBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a stream of rows as a Hive-style partitioned Parquet table ({@code <path>/dt=2026-11-23/part-*.parquet})
 * and registers each committed partition in a Hive Metastore, creating the EXTERNAL table from the row
 * type when it is absent.
 *
 * <p>Usage:
 * <pre>{@code
 * HiveSink.builder()
 *     .table("web.access").rowType(rowType).config(hiveSinkConfig)
 *     .basePath("file:///data/lake/web/access").metastoreUri("thrift://127.0.0.1:9083")
 *     .parallelism(4).salt(2)
 *     .build()
 *     .writeTo(rows);
 * }</pre>
 *
 * <p>Semantics: exactly-once files — each writer subtask rolls one file per partition it saw at every
 * checkpoint, and files become visible (renamed from hidden in-progress files) only when the checkpoint
 * completes. Rows are pre-partitioned by {@link Prepartitioning} ({@code salt}), which bounds the files
 * per partition and checkpoint. The table is created when the job is built ({@link #writeTo}, so the
 * checkpoint path never waits for it); partitions are registered after their files are committed. Without a
 * metastore URI only the files are written. Partition columns are stored in the directory names, not in
 * the files (Hive's layout).
 */
public final class HiveSink implements LakeSink {
    private static final Logger LOG = LoggerFactory.getLogger(HiveSink.class);

    private final String table;
    private final RowType rowType;
    private final PartitionPath partition;
    private final String basePath;
    private final String metastoreUri;
    private final int parallelism;
    private final int salt;
    private final boolean soleSink;

    private HiveSink(String table, RowType rowType, PartitionPath partition, String basePath, String metastoreUri,
                     int parallelism, int salt, boolean soleSink) {
        this.table = table;
        this.rowType = rowType;
        this.partition = partition;
        this.basePath = basePath;
        this.metastoreUri = metastoreUri;
        this.parallelism = parallelism;
        this.salt = salt;
        this.soleSink = soleSink;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds the pre-partitioning, the Parquet file writers and the partition registration to the rows' environment. */
    @Override
    public DataStreamSink<RowData> writeTo(DataStream<RowData> rows) {
        int[] dataColumns = IntStream.range(0, rowType.getFieldCount())
                .filter(i -> !partition.fields().contains(rowType.getFieldNames().get(i)))
                .toArray();
        RowType dataType = RowType.of(
                IntStream.of(dataColumns).mapToObj(rowType::getTypeAt).toArray(org.apache.flink.table.types.logical.LogicalType[]::new),
                IntStream.of(dataColumns).mapToObj(i -> rowType.getFieldNames().get(i)).toArray(String[]::new));
        FileSink<RowData> files = FileSink
                .forBulkFormat(new Path(basePath), new DataColumnsWriterFactory(
                        ParquetRowDataBuilder.createWriterFactory(dataType, new org.apache.hadoop.conf.Configuration(), true),
                        dataColumns))
                .withBucketAssigner(new HivePartitionAssigner(partition))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                // Names are part-<writer UUID>-<counter>: unique across subtasks and runs without our help.
                .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".parquet").build())
                .build();
        String name = table.replace('.', '_');
        DataStream<RowData> spread = Prepartitioning.apply(rows, table, partition, salt, List.of(), parallelism, soleSink);
        DataStreamSink<RowData> sink;
        if (metastoreUri == null) {
            LOG.info("Hive table {}: no metastore configured, writing Parquet files only to {}", table, basePath);
            sink = spread.sinkTo(files);
        } else {
            String database = table.substring(0, table.indexOf('.'));
            PartitionRegistrar registrar = new PartitionRegistrar(metastoreUri, database,
                    table.substring(table.indexOf('.') + 1), basePath, rowType, partition.fields());
            registrar.ensureTable();
            sink = spread.sinkTo(new PartitionCommittingFileSink(files, registrar));
        }
        return sink.name("hive:" + table).uid("hive-" + name).setParallelism(parallelism);
    }

    @Override
    public boolean writesInPlace(int producerParallelism) {
        return soleSink && Prepartitioning.writesInPlace(salt, parallelism, producerParallelism);
    }

    @Override
    public List<org.apache.flink.types.Row> readAll() throws Exception {
        return HiveTableReader.readAll(this);
    }

    /** {@code database.table}. */
    public String table() {
        return table;
    }

    public String basePath() {
        return basePath;
    }

    public String metastoreUri() {
        return metastoreUri;
    }

    public RowType rowType() {
        return rowType;
    }

    public List<String> partitionFields() {
        return partition.fields();
    }

    /** Builds a {@link HiveSink}; {@link #build()} reports every problem of the definition at once. */
    public static final class Builder {
        private String table;
        private RowType rowType;
        private HiveSinkConfig config;
        private String basePath;
        private String metastoreUri;
        private int parallelism = 1;
        private int salt = TableConfig.DEFAULT_SALT;
        private boolean soleSink;

        /** {@code database.table}: the Hive database and table name. */
        public Builder table(String value) {
            table = value;
            return this;
        }

        public Builder rowType(RowType value) {
            rowType = value;
            return this;
        }

        public Builder config(HiveSinkConfig value) {
            config = value;
            return this;
        }

        /** Table location: {@code file:///...} (or {@code hdfs://}, {@code s3://} with Flink's S3 file system plugin). */
        public Builder basePath(String value) {
            basePath = value;
            return this;
        }

        /** {@code thrift://host:9083}; null writes the files without registering partitions. */
        public Builder metastoreUri(String value) {
            metastoreUri = value;
            return this;
        }

        /** Number of file writer subtasks. */
        public Builder parallelism(int value) {
            parallelism = value;
            return this;
        }

        /** Writer subtasks one partition is spread over; 0 turns pre-partitioning off (rebalance). Default {@link TableConfig#DEFAULT_SALT}. */
        public Builder salt(int value) {
            salt = value;
            return this;
        }

        /** Whether this is its job's only data sink (default false): then it may write in place ({@link Prepartitioning}). */
        public Builder soleSink(boolean value) {
            soleSink = value;
            return this;
        }

        public HiveSink build() {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(rowType, "rowType");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(basePath, "basePath");
            List<String> problems = new ArrayList<>();
            if (!table.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add("name must be database.table with letters, digits and underscores, was '" + table + "'");
            }
            PartitionPath partition = null;
            if (config.partitionFields().isEmpty()) {
                problems.add("partition-fields is empty: a Hive table needs at least one (e.g. dt)");
            } else if (config.partitionFields().size() >= rowType.getFieldCount()) {
                problems.add("partition-fields " + config.partitionFields() + " leave no data column");
            } else {
                try {
                    partition = PartitionPath.of(rowType, config.partitionFields());
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            if (metastoreUri != null && !metastoreUri.startsWith("thrift://")) {
                problems.add("metastore URI must look like thrift://host:9083, was " + metastoreUri);
            }
            if (parallelism < 1) {
                problems.add("parallelism must be at least 1, was " + parallelism);
            }
            if (salt < 0) {
                problems.add("salt must be 0 (off) or more, was " + salt);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("Hive sink of table " + table + ": " + String.join("; ", problems));
            }
            return new HiveSink(table, rowType, partition, basePath, metastoreUri, parallelism, salt, soleSink);
        }
    }
}

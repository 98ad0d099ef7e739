package dev.sluice.job.load;

import java.util.Map;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.hudi.adapter.Utils;
import org.apache.hudi.common.model.HoodieKey;
import org.apache.hudi.common.model.HoodieRecord;
import org.apache.hudi.common.model.HoodieRecordLocation;
import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.configuration.FlinkOptions;
import org.apache.hudi.configuration.OptionsInference;
import org.apache.hudi.configuration.OptionsResolver;
import org.apache.hudi.index.HoodieIndex;
import org.apache.hudi.sink.bucket.BucketStreamWriteFunction;
import org.apache.hudi.sink.bucket.BucketStreamWriteOperator;
import org.apache.hudi.sink.bulk.RowDataKeyGen;
import org.apache.hudi.sink.common.AbstractWriteOperator;
import org.apache.hudi.sink.common.WriteOperatorFactory;
import org.apache.hudi.sink.partitioner.BucketIndexPartitioner;
import org.apache.hudi.sink.transform.RowDataToHoodieFunction;
import org.apache.hudi.sink.transform.RowDataToHoodieFunctions;
import org.apache.hudi.sink.utils.Pipelines;
import org.apache.hudi.table.HoodieTableFactory;
import org.apache.hudi.table.HoodieTableSink;
import org.apache.hudi.util.HoodiePipeline;

/**
 * The write path of an upsert into a Hudi table with the (simple) bucket index: Hudi 0.14's own
 * operators ({@code HoodieTableSink}'s streaming upsert plan), with the rows routed to their bucket's
 * writer before they become Hudi records.
 *
 * <p>Hudi's plan converts each row to a {@link HoodieRecord} in the producer's task and then shuffles
 * the records to the bucket writers. Flink has no serializer for {@code HoodieRecord} but Kryo's
 * generic one, which writes class names and walks the record, its key and its payload by reflection.
 * Here the rows cross the shuffle as {@link RowData} (Flink's binary row serializer, a copy of the
 * fields), routed by the same {@link BucketIndexPartitioner} over the same {@link HoodieKey} (computed
 * from the row by Hudi's {@link RowDataKeyGen}); the conversion then runs chained to the bucket writer,
 * and every record is checked to belong to its subtask's buckets before it is written (a row the key
 * generators disagree on fails the job rather than open a second file group for its bucket).
 *
 * <p>On MERGE_ON_READ tables the writer appends a new bucket's first rows to its log as it appends every
 * later row ({@link AppendingBucketWriter}).
 *
 * <p>The bucket routing bounds the files a checkpoint writes (a partition's buckets, spread over the
 * writers by Hudi's own rule), so the table's salt ({@link Prepartitioning}) does not apply, and the
 * writers never share the producer's task.
 */
final class BucketIndexWrite {
    private static final String WRITE_OPERATOR = "bucket_write";

    private BucketIndexWrite() {
    }

    /**
     * Whether a table with these Hudi options is written here: an upsert with the simple bucket index.
     * (The consistent-hashing bucket engine assigns buckets in an operator of its own, and inserts take
     * Hudi's append path.)
     */
    static boolean appliesTo(Map<String, String> options) {
        Configuration conf = Configuration.fromMap(options);
        return OptionsResolver.isBucketIndexType(conf)
                && OptionsResolver.getBucketEngineType(conf) == HoodieIndex.BucketIndexEngineType.SIMPLE
                && !OptionsResolver.isAppendMode(conf) && !OptionsResolver.isBulkInsertOperation(conf);
    }

    /** Adds the routing, the bucket writers and compaction (MOR) or cleaning (COW) for {@code rows}. */
    static DataStreamSink<?> writeTo(HoodiePipeline.Builder table, DataStream<RowData> rows) {
        HoodiePipeline.TableDescriptor descriptor = table.getTableDescriptor();
        ResolvedCatalogTable catalogTable = descriptor.getResolvedCatalogTable();
        // Hudi's table factory derives the write configuration (key generator, Avro schema, defaults)
        // exactly as for HoodiePipeline's own sink; the plan below is HoodieTableSink's for this case.
        HoodieTableSink sink = (HoodieTableSink) new HoodieTableFactory().createDynamicTableSink(Utils.getTableContext(
                descriptor.getTableId(), catalogTable, Configuration.fromMap(catalogTable.getOptions())));
        Configuration conf = sink.getConf();
        conf.setLong(FlinkOptions.WRITE_COMMIT_ACK_TIMEOUT,
                rows.getExecutionEnvironment().getCheckpointConfig().getCheckpointTimeout());
        OptionsInference.setupSinkTasks(conf, rows.getExecutionConfig().getParallelism());
        OptionsInference.setupClientId(conf);
        RowType rowType = (RowType) catalogTable.getResolvedSchema().toSinkRowDataType().notNull().getLogicalType();

        int writers = conf.getInteger(FlinkOptions.WRITE_TASKS);
        BucketIndexPartitioner<HoodieKey> buckets = new BucketIndexPartitioner<>(
                conf.getInteger(FlinkOptions.BUCKET_INDEX_NUM_BUCKETS), OptionsResolver.getIndexKeyField(conf));
        DataStream<Object> written = rows
                .partitionCustom(buckets, new RowKey(RowDataKeyGen.instance(conf, rowType)))
                .map(new ToBucketRecord(RowDataToHoodieFunctions.create(rowType, conf), buckets),
                        TypeInformation.of(HoodieRecord.class))
                .name("row_data_to_hoodie_record").setParallelism(writers)
                .transform(Pipelines.opName(WRITE_OPERATOR, conf), TypeInformation.of(Object.class),
                        writerFactory(conf))
                .uid(Pipelines.opUID(WRITE_OPERATOR, conf)).setParallelism(writers);
        return OptionsResolver.needsAsyncCompaction(conf) ? Pipelines.compact(conf, written) : Pipelines.clean(conf, written);
    }

    private static WriteOperatorFactory<HoodieRecord> writerFactory(Configuration conf) {
        return OptionsResolver.isMorTable(conf)
                ? WriteOperatorFactory.instance(conf, new AppendingBucketWriteOperator(conf))
                : BucketStreamWriteOperator.getFactory(conf);
    }

    /** Hudi's bucket write operator with {@link AppendingBucketWriter} as its function. */
    static final class AppendingBucketWriteOperator extends AbstractWriteOperator<HoodieRecord> {
        private static final long serialVersionUID = 1L;

        AppendingBucketWriteOperator(Configuration conf) {
            super(new AppendingBucketWriter(conf));
        }
    }

    /**
     * Hudi's bucket writer for MERGE_ON_READ tables, writing a new bucket's rows as updates of its
     * (log-only) file group. Hudi 0.14 tags the rows of a bucket that has no file group yet as inserts
     * ({@code I}) until the next checkpoint; its delta-commit writer hands inserts to its log append
     * handle one by one through a path that copies the whole write configuration (about 400 properties)
     * for every row, about 80 µs a row, while updates ({@code U}) go to the same append handle in one
     * pass. In bench/upsert every row of the first checkpoint of a fresh table took the insert path, and
     * that copying was three quarters of the writer threads' time. The log blocks written are the same:
     * both paths append to the file group's log through the same handle, which starts a log-only file
     * slice when the group has none. (Copy-on-write tables need the insert path: it creates the base file.)
     */
    static final class AppendingBucketWriter extends BucketStreamWriteFunction<HoodieRecord> {
        private static final long serialVersionUID = 1L;
        /** Hudi's placeholder instant of a record's location: insert into a new file group. */
        private static final String NEW_FILE_GROUP = "I";
        private static final String EXISTING_FILE_GROUP = "U";

        AppendingBucketWriter(Configuration conf) {
            super(conf);
            if (!OptionsResolver.isMorTable(conf)) {
                throw new IllegalArgumentException("appending bucket writer is for " + HoodieTableType.MERGE_ON_READ
                        + " tables only");
            }
        }

        @Override
        protected void bufferRecord(HoodieRecord<?> record) {
            HoodieRecordLocation location = record.getCurrentLocation();
            if (location != null && NEW_FILE_GROUP.equals(location.getInstantTime())) {
                HoodieRecord<?> update = record.newInstance(record.getKey(), record.getOperation());
                update.setCurrentLocation(new HoodieRecordLocation(EXISTING_FILE_GROUP, location.getFileId()));
                update.seal();
                super.bufferRecord(update);
            } else {
                super.bufferRecord(record);
            }
        }
    }

    /** A row's Hudi key (record key and partition path), as Hudi's row-based writers compute it. */
    static final class RowKey implements KeySelector<RowData, HoodieKey> {
        private static final long serialVersionUID = 1L;

        private final RowDataKeyGen keys;

        RowKey(RowDataKeyGen keys) {
            this.keys = keys;
        }

        @Override
        public HoodieKey getKey(RowData row) {
            return keys.getHoodieKey(row);
        }
    }

    /**
     * Hudi's row-to-record conversion, run on the writer's side of the shuffle, with a check that the
     * record's bucket belongs to this writer.
     */
    static final class ToBucketRecord extends RichMapFunction<RowData, HoodieRecord> {
        private static final long serialVersionUID = 1L;

        private final RowDataToHoodieFunction<RowData, HoodieRecord> convert;
        private final BucketIndexPartitioner<HoodieKey> buckets;
        private transient int subtask;
        private transient int subtasks;

        ToBucketRecord(RowDataToHoodieFunction<RowData, HoodieRecord> convert, BucketIndexPartitioner<HoodieKey> buckets) {
            this.convert = convert;
            this.buckets = buckets;
        }

        @Override
        public void open(Configuration parameters) throws Exception {
            convert.setRuntimeContext(getRuntimeContext());
            convert.open(parameters);
            subtask = getRuntimeContext().getIndexOfThisSubtask();
            subtasks = getRuntimeContext().getNumberOfParallelSubtasks();
        }

        @Override
        public HoodieRecord map(RowData row) throws Exception {
            HoodieRecord record = convert.map(row);
            int owner = buckets.partition(record.getKey(), subtasks);
            if (owner != subtask) {
                throw new IllegalStateException("Hudi key " + record.getKey() + " was routed to bucket writer "
                        + subtask + " but its bucket belongs to writer " + owner
                        + ": the row and record key generators disagree on this key (Hudi options of the table?)");
            }
            return record;
        }

        @Override
        public void close() throws Exception {
            convert.close();
        }
    }
}

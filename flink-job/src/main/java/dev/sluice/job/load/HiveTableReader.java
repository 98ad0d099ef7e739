package dev.sluice.job.load;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.table.PartitionFieldExtractor;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetColumnarRowInputFormat;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.conversion.RowRowConverter;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Reads a Hive table written by {@link HiveSink} back the way Hive does: the partition locations the
 * metastore holds (the table directory when there is no metastore), the committed Parquet files in them
 * (hidden in-progress files are skipped), partition columns taken from the directory names.
 */
public final class HiveTableReader {
    private HiveTableReader() {
    }

    /** Every row of the table, as external {@link Row}s in the sink's column order. */
    public static List<Row> readAll(HiveSink sink) throws Exception {
        List<String> locations = new ArrayList<>();
        if (sink.metastoreUri() == null) {
            Path base = new Path(sink.basePath());
            // No directory yet: the writers have not finished a file (e.g. a table no record went to).
            if (base.getFileSystem().exists(base)) {
                locations.add(sink.basePath());
            }
        } else {
            String[] name = sink.table().split("\\.", 2);
            try (HiveMetastoreClient client = HiveMetastoreClient.connect(sink.metastoreUri())) {
                locations.addAll(client.partitionLocations(name[0], name[1]));
            }
        }
        return read(sink, locations);
    }

    /**
     * The rows under the given locations (partition directories, or a table directory), read with the
     * table's schema; partition columns come from {@code key=value} segments of the files' paths.
     */
    public static List<Row> read(HiveSink sink, List<String> locationUris) throws Exception {
        if (locationUris.isEmpty()) {
            return List.of();
        }
        List<Path> locations = locationUris.stream().map(Path::new).toList();
        RowType rowType = sink.rowType();
        ParquetColumnarRowInputFormat<?> format = ParquetColumnarRowInputFormat.createPartitionedFormat(
                new org.apache.hadoop.conf.Configuration(), rowType, InternalTypeInfo.of(rowType),
                sink.partitionFields(), PartitionFieldExtractor.forFileSystem(PartitionPath.DEFAULT_PARTITION),
                2048, true, true);
        @SuppressWarnings("unchecked")
        FileSource<RowData> source = FileSource.forBulkFileFormat(
                (ParquetColumnarRowInputFormat<org.apache.flink.connector.file.src.FileSourceSplit>) format,
                locations.toArray(Path[]::new)).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        RowRowConverter converter = RowRowConverter.create(TypeConversions.fromLogicalToDataType(rowType));
        converter.open(HiveTableReader.class.getClassLoader());
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "read " + sink.table())
                .executeAndCollect("read " + sink.table())) {
            while (it.hasNext()) {
                rows.add(converter.toExternal(it.next()));
            }
        }
        return rows;
    }
}

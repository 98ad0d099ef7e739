package dev.sluice.job.load;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.conversion.RowRowConverter;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.hudi.configuration.FlinkOptions;
import org.apache.hudi.configuration.HadoopConfigurations;
import org.apache.hudi.util.StreamerUtil;

/**
 * Reads a Hudi table back through Hudi's own Flink reader (snapshot query: base files merged with
 * logs), never by listing files. Used by the demo summary and by tests to check what really landed.
 */
public final class HudiTableReader {
    private HudiTableReader() {
    }

    /**
     * Every current row of the table written by {@code sink}, as external {@link Row}s; none for a table
     * that has no completed commit yet (never written, or its writers had no rows), which Hudi's reader
     * would refuse.
     */
    public static List<Row> readAll(HudiSink sink, RowType rowType) throws Exception {
        if (!hasCommits(sink)) {
            return List.of();
        }
        // Streaming runtime mode: Hudi's bounded snapshot read is a legacy source, which BATCH mode rejects.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        DataStream<RowData> rows = sink.pipeline()
                .option(FlinkOptions.READ_AS_STREAMING.key(), "false")
                .option(FlinkOptions.QUERY_TYPE.key(), FlinkOptions.QUERY_TYPE_SNAPSHOT)
                .source(env);
        DataType dataType = TypeConversions.fromLogicalToDataType(rowType);
        RowRowConverter converter = RowRowConverter.create(dataType);
        converter.open(HudiTableReader.class.getClassLoader());
        List<Row> result = new ArrayList<>();
        try (CloseableIterator<RowData> it = rows.executeAndCollect("read " + sink.options().get(FlinkOptions.PATH.key()))) {
            while (it.hasNext()) {
                result.add(converter.toExternal(it.next()));
            }
        }
        return result;
    }

    private static boolean hasCommits(HudiSink sink) {
        Configuration options = Configuration.fromMap(sink.options());
        String path = options.get(FlinkOptions.PATH);
        org.apache.hadoop.conf.Configuration hadoop = HadoopConfigurations.getHadoopConf(options);
        return StreamerUtil.tableExists(path, hadoop)
                && StreamerUtil.haveSuccessfulCommits(StreamerUtil.createMetaClient(path, hadoop));
    }
}

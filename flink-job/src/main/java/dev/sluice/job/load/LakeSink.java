package dev.sluice.job.load;

import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.Row;

/**
 * A table sink ({@link HudiSink}, {@link HiveSink} in the lake; {@link KafkaTableSink} to a topic) that can
 * also read its table back.
 */
public interface LakeSink {

    /** Adds pre-partitioning and the writers for {@code rows} to their environment. */
    DataStreamSink<?> writeTo(DataStream<RowData> rows);

    /**
     * Whether {@link #writeTo} chains the writers to a producer of this parallelism instead of shuffling
     * the rows to them ({@link Prepartitioning}); such a producer must not run in a source's task.
     */
    boolean writesInPlace(int producerParallelism);

    /** Every current row of the table, read through the format's own reader (never counted by the writer). */
    List<Row> readAll() throws Exception;
}

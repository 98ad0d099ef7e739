package dev.sluice.backfill;

import dev.sluice.job.error.ErrorTable;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.table.data.RowData;

/**
 * Collects the Kafka origin ({@code topic/partition/offset}) of every record that failed again during a
 * replay from the error table, as the accumulator {@link #ACCUMULATOR}: those error rows stay as they
 * are; the others are marked replayed. A replay's error rows are few (they were a share of one partition's
 * input), so an accumulator is enough.
 */
final class FailedOrigins extends RichSinkFunction<RowData> {
    private static final long serialVersionUID = 1L;
    static final String ACCUMULATOR = "replay-failed-origins";

    private static final int TOPIC = ErrorTable.ROW_TYPE.getFieldIndex("source_topic");
    private static final int PARTITION = ErrorTable.ROW_TYPE.getFieldIndex("source_partition");
    private static final int OFFSET = ErrorTable.ROW_TYPE.getFieldIndex("source_offset");

    private transient ListAccumulator<String> failed;

    @Override
    public void open(Configuration parameters) {
        failed = new ListAccumulator<>();
        getRuntimeContext().addAccumulator(ACCUMULATOR, failed);
    }

    @Override
    public void invoke(RowData error, Context context) {
        failed.add(origin(error.isNullAt(TOPIC) ? null : error.getString(TOPIC).toString(), error.getInt(PARTITION),
                error.getLong(OFFSET)));
    }

    static String origin(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }
}

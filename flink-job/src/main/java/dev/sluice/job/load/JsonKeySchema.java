package dev.sluice.job.load;

import java.util.Arrays;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.formats.json.JsonRowDataSerializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/** A row's key columns as a JSON object ({@code {"id":"o-1"}}), the Kafka message key of {@link KafkaTableSink}. */
final class JsonKeySchema implements SerializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final int[] keyColumns;
    private final JsonRowDataSerializationSchema json;

    private transient ProjectedRowData projection;

    JsonKeySchema(RowType rowType, int[] keyColumns) {
        this.keyColumns = keyColumns.clone();
        RowType keyType = RowType.of(
                Arrays.stream(keyColumns).mapToObj(rowType::getTypeAt)
                        .toArray(LogicalType[]::new),
                Arrays.stream(keyColumns).mapToObj(i -> rowType.getFieldNames().get(i)).toArray(String[]::new));
        this.json = KafkaTableSink.jsonSerializer(keyType);
    }

    @Override
    public void open(InitializationContext context) throws Exception {
        json.open(context);
        projection = ProjectedRowData.from(keyColumns);
    }

    @Override
    public byte[] serialize(RowData row) {
        return json.serialize(projection.replaceRow(row));
    }
}

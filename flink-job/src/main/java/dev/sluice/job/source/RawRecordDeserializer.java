package dev.sluice.job.source;

import dev.sluice.core.record.RawRecord;
import dev.sluice.core.record.RecordHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a Kafka record into a {@link RawRecord} without interpreting the value: parsing happens in the
 * stages, where a failure becomes an error record instead of failing the source.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        String receivedAt = header(record, RecordHeaders.RECEIVED_AT);
        out.collect(new RawRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.value() == null ? EMPTY : record.value(),
                header(record, RecordHeaders.SOURCE),
                header(record, RecordHeaders.KIND),
                parseOr(receivedAt, record.timestamp())));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return RawRecordTypeInfo.INSTANCE;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long parseOr(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

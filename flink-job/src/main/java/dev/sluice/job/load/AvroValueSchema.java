package dev.sluice.job.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * A row as an Avro binary value of the table's schema ({@code AvroSchemas}), the value of
 * {@link KafkaTableSink} with {@code format: avro}. With a registry schema id the value is framed in the
 * Confluent wire format: magic byte {@code 0}, the id as a 4-byte big-endian int, then the Avro binary,
 * which Confluent's and Apicurio's deserializers (and Flink's {@code avro-confluent} format) read.
 */
final class AvroValueSchema implements SerializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    /** First byte of a Confluent-framed value. */
    static final byte MAGIC_BYTE = 0;
    /** Magic byte and schema id before the Avro binary. */
    static final int HEADER_SIZE = 5;

    private final String schemaJson;
    private final RowType rowType;
    /** The registry's id of the schema, or null for plain Avro binary values. */
    private final Integer schemaId;

    private transient Schema schema;
    private transient RowData.FieldGetter[] getters;
    private transient ToAvro[] converters;
    private transient GenericDatumWriter<GenericRecord> writer;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;

    /** @param schemaId the registry's id of {@code schema}, or null for plain Avro binary values */
    AvroValueSchema(Schema schema, RowType rowType, Integer schemaId) {
        this.schemaJson = schema.toString();
        this.rowType = rowType;
        this.schemaId = schemaId;
    }

    @Override
    public void open(InitializationContext context) {
        schema = new Schema.Parser().parse(schemaJson);
        List<LogicalType> types = rowType.getChildren();
        getters = new RowData.FieldGetter[types.size()];
        converters = new ToAvro[types.size()];
        for (int i = 0; i < types.size(); i++) {
            getters[i] = RowData.createFieldGetter(types.get(i), i);
            converters[i] = converter(types.get(i));
        }
        writer = new GenericDatumWriter<>(schema);
        buffer = new ByteArrayOutputStream(256);
    }

    @Override
    public byte[] serialize(RowData row) {
        GenericData.Record record = new GenericData.Record(schema);
        for (int i = 0; i < getters.length; i++) {
            Object value = getters[i].getFieldOrNull(row);
            record.put(i, value == null ? null : converters[i].convert(value));
        }
        buffer.reset();
        if (schemaId != null) {
            buffer.write(MAGIC_BYTE);
            buffer.write(ByteBuffer.allocate(4).putInt(schemaId).array(), 0, 4);
        }
        try {
            encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a row of " + schema.getFullName() + " as Avro", e);
        }
        return buffer.toByteArray();
    }

    /** Flink's internal value of a column → the value Avro's generic writer takes for its schema. */
    @FunctionalInterface
    private interface ToAvro {
        Object convert(Object internal);
    }

    private static ToAvro converter(LogicalType type) {
        return switch (type.getTypeRoot()) {
            case CHAR, VARCHAR -> value -> new Utf8(((StringData) value).toBytes());
            case TIMESTAMP_WITHOUT_TIME_ZONE -> ((TimestampType) type).getPrecision() <= 3
                    ? value -> ((TimestampData) value).getMillisecond()
                    : value -> micros((TimestampData) value);
            case DECIMAL -> value -> ByteBuffer.wrap(((DecimalData) value).toUnscaledBytes());
            // BIGINT, DOUBLE, BOOLEAN and DATE (days as int) are Avro's own representations already.
            default -> value -> value;
        };
    }

    private static long micros(TimestampData value) {
        return Math.addExact(Math.multiplyExact(value.getMillisecond(), 1000L), value.getNanoOfMillisecond() / 1000);
    }
}

package dev.sluice.job.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Reads the values {@link AvroValueSchema} writes back into rows of the table's row type (Flink's internal
 * values, timestamps in UTC), for {@link KafkaTableSink#readAll()} and tests. Framed values are decoded
 * with the writer's schema the registry holds under their id, resolved to the table's schema.
 */
final class AvroValueReader {
    private final Schema schema;
    /** Registry lookup of a writer schema by id; null: values are plain Avro binary of {@link #schema}. */
    private final IntFunction<Schema> registry;
    private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new HashMap<>();
    private final GenericDatumReader<GenericRecord> plain;

    AvroValueReader(Schema schema, IntFunction<Schema> registry) {
        this.schema = schema;
        this.registry = registry;
        this.plain = new GenericDatumReader<>(schema);
    }

    /** The Confluent schema id of a framed value; fails on anything else. */
    static int schemaId(byte[] value) {
        if (value.length < AvroValueSchema.HEADER_SIZE || value[0] != AvroValueSchema.MAGIC_BYTE) {
            throw new IllegalArgumentException("not a Confluent-framed Avro value (magic byte 0 and a 4-byte schema id)");
        }
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    RowData read(byte[] value) {
        try {
            GenericRecord record;
            if (registry == null) {
                record = plain.read(null, DecoderFactory.get().binaryDecoder(value, null));
            } else {
                GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(schemaId(value),
                        id -> new GenericDatumReader<>(registry.apply(id), schema));
                record = reader.read(null, DecoderFactory.get().binaryDecoder(value, AvroValueSchema.HEADER_SIZE,
                        value.length - AvroValueSchema.HEADER_SIZE, null));
            }
            return toRow(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode an Avro value of " + schema.getFullName(), e);
        }
    }

    private RowData toRow(GenericRecord record) {
        List<Schema.Field> fields = schema.getFields();
        GenericRowData row = new GenericRowData(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            Object value = record.get(fields.get(i).name());
            row.setField(i, value == null ? null : internal(nonNull(fields.get(i).schema()), value));
        }
        return row;
    }

    private static Schema nonNull(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                ? schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow()
                : schema;
    }

    /** Avro's generic value → Flink's internal value of the column (the inverse of AvroValueSchema's). */
    private static Object internal(Schema schema, Object value) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.TimestampMicros) {
            long micros = (Long) value;
            return TimestampData.fromEpochMillis(Math.floorDiv(micros, 1000L), (int) Math.floorMod(micros, 1000L) * 1000);
        }
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return TimestampData.fromEpochMillis((Long) value);
        }
        if (logical instanceof LogicalTypes.Decimal decimal) {
            ByteBuffer bytes = ((ByteBuffer) value).duplicate();
            byte[] unscaled = new byte[bytes.remaining()];
            bytes.get(unscaled);
            return DecimalData.fromUnscaledBytes(unscaled, decimal.getPrecision(), decimal.getScale());
        }
        // DATE stays days as int; long, double and boolean are Flink's internal values too.
        return schema.getType() == Schema.Type.STRING ? StringData.fromString(value.toString()) : value;
    }
}

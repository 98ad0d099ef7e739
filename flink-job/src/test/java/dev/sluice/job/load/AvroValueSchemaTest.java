package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.job.format.AvroSchemas;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

class AvroValueSchemaTest {
    private static final RowType ROW_TYPE = (RowType) DataTypes.ROW(
            DataTypes.FIELD("id", DataTypes.STRING().notNull()),
            DataTypes.FIELD("n", DataTypes.BIGINT()),
            DataTypes.FIELD("amount", DataTypes.DOUBLE()),
            DataTypes.FIELD("ok", DataTypes.BOOLEAN()),
            DataTypes.FIELD("ts", DataTypes.TIMESTAMP(6).notNull()),
            DataTypes.FIELD("ts_ms", DataTypes.TIMESTAMP(3)),
            DataTypes.FIELD("day", DataTypes.DATE()),
            DataTypes.FIELD("price", DataTypes.DECIMAL(10, 2))).getLogicalType();
    private static final Schema SCHEMA = AvroSchemas.of("shop.orders", ROW_TYPE);
    private static final LocalDateTime TS = LocalDateTime.parse("2026-11-23T10:00:07.123456");

    @Test
    void plainValuesAreAvroBinaryThatAGenericReaderDecodesWithTheDerivedSchema() throws Exception {
        AvroValueSchema values = new AvroValueSchema(SCHEMA, ROW_TYPE, null);
        values.open(null);

        byte[] value = values.serialize(row());

        GenericRecord record = new GenericDatumReader<GenericRecord>(SCHEMA)
                .read(null, DecoderFactory.get().binaryDecoder(value, null));
        assertThat(record.get("id").toString()).isEqualTo("o-7");
        assertThat(record.get("n")).isEqualTo(7L);
        assertThat(record.get("amount")).isEqualTo(7.5);
        assertThat(record.get("ok")).isEqualTo(true);
        // Epoch microseconds of the UTC instant, sub-millisecond digits kept.
        assertThat(record.get("ts")).isEqualTo(1_795_428_007_123_456L);
        assertThat(record.get("ts_ms")).isEqualTo(1_795_428_007_123L);
        assertThat(record.get("day")).isEqualTo((int) LocalDate.parse("2026-11-23").toEpochDay());
        assertThat(new BigDecimal(new java.math.BigInteger(bytes((ByteBuffer) record.get("price"))), 2))
                .isEqualTo(new BigDecimal("1234.50"));
    }

    @Test
    void nullsAreTheNullBranchAndTimestampsBeforeTheEpochKeepTheirMicros() throws Exception {
        AvroValueSchema values = new AvroValueSchema(SCHEMA, ROW_TYPE, null);
        values.open(null);
        LocalDateTime early = LocalDateTime.parse("1969-12-31T23:59:59.999999");
        GenericRowData row = new GenericRowData(8);
        row.setField(0, StringData.fromString("o-8"));
        row.setField(4, TimestampData.fromLocalDateTime(early));

        byte[] value = values.serialize(row);

        GenericRecord record = new GenericDatumReader<GenericRecord>(SCHEMA)
                .read(null, DecoderFactory.get().binaryDecoder(value, null));
        assertThat(record.get("ts")).isEqualTo(-1L);
        assertThat(record.get("n")).isNull();
        assertThat(record.get("price")).isNull();
        RowData back = new AvroValueReader(SCHEMA, null).read(value);
        assertThat(back.getTimestamp(4, 6).toLocalDateTime()).isEqualTo(early);
        assertThat(back.isNullAt(1)).isTrue();
    }

    @Test
    void withASchemaIdValuesAreInTheConfluentWireFormat() throws Exception {
        AvroValueSchema plain = new AvroValueSchema(SCHEMA, ROW_TYPE, null);
        AvroValueSchema framed = new AvroValueSchema(SCHEMA, ROW_TYPE, 258);
        plain.open(null);
        framed.open(null);

        byte[] value = framed.serialize(row());

        assertThat(Arrays.copyOfRange(value, 0, 5)).containsExactly(0, 0, 0, 1, 2);
        assertThat(Arrays.copyOfRange(value, 5, value.length)).isEqualTo(plain.serialize(row()));
        assertThat(AvroValueReader.schemaId(value)).isEqualTo(258);
        RowData back = new AvroValueReader(SCHEMA, id -> {
            assertThat(id).isEqualTo(258);
            return SCHEMA;
        }).read(value);
        assertThat(back.getString(0).toString()).isEqualTo("o-7");
        assertThat(back.getLong(1)).isEqualTo(7L);
        assertThat(back.getTimestamp(4, 6).toLocalDateTime()).isEqualTo(TS);
        assertThat(back.getTimestamp(5, 3).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-11-23T10:00:07.123"));
        assertThat(back.getInt(6)).isEqualTo((int) LocalDate.parse("2026-11-23").toEpochDay());
        assertThat(back.getDecimal(7, 10, 2).toBigDecimal()).isEqualTo(new BigDecimal("1234.50"));
        assertThatThrownBy(() -> AvroValueReader.schemaId(plain.serialize(row())))
                .hasMessageContaining("not a Confluent-framed Avro value");
    }

    private static RowData row() {
        return GenericRowData.of(StringData.fromString("o-7"), 7L, 7.5, true, TimestampData.fromLocalDateTime(TS),
                TimestampData.fromLocalDateTime(LocalDateTime.parse("2026-11-23T10:00:07.123")),
                (int) LocalDate.parse("2026-11-23").toEpochDay(),
                DecimalData.fromBigDecimal(new BigDecimal("1234.50"), 10, 2));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] result = new byte[buffer.remaining()];
        buffer.duplicate().get(result);
        return result;
    }
}

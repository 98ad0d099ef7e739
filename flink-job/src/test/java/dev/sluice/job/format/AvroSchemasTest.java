package dev.sluice.job.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ColumnConfig;
import dev.sluice.core.config.LogicalType;
import dev.sluice.core.config.TableConfig;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

class AvroSchemasTest {

    @Test
    void everyColumnTypeOfAStreamTableHasItsAvroForm() {
        RowType rowType = TableSchemas.rowType(table(
                new ColumnConfig("id", LogicalType.STRING, null, true, null),
                new ColumnConfig("n", LogicalType.BIGINT, null, false, null),
                new ColumnConfig("amount", LogicalType.DOUBLE, null, false, null),
                new ColumnConfig("ok", LogicalType.BOOLEAN, null, true, null),
                new ColumnConfig("ts", LogicalType.TIMESTAMP, null, true, null),
                new ColumnConfig("day", LogicalType.DATE, null, false, null),
                new ColumnConfig("attrs", LogicalType.JSON, null, false, null)));

        Schema schema = AvroSchemas.of("shop.orders", rowType);

        assertThat(schema.getNamespace()).isEqualTo("shop");
        assertThat(schema.getName()).isEqualTo("orders");
        // Checked against the JSON a registry stores and a consumer parses, not only the object model.
        assertThat(new Schema.Parser().parse(schema.toString())).isEqualTo(schema);
        assertThat(schema.toString()).isEqualTo("{\"type\":\"record\",\"name\":\"orders\",\"namespace\":\"shop\","
                + "\"doc\":\"Rows of the Sluice stream table shop.orders\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"n\",\"type\":[\"null\",\"long\"],\"default\":null},"
                + "{\"name\":\"amount\",\"type\":[\"null\",\"double\"],\"default\":null},"
                + "{\"name\":\"ok\",\"type\":\"boolean\"},"
                + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                + "{\"name\":\"day\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}],\"default\":null},"
                + "{\"name\":\"attrs\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
    }

    @Test
    void timestampPrecisionPicksMillisOrMicrosAndDecimalsKeepPrecisionAndScale() {
        RowType rowType = (RowType) DataTypes.ROW(
                DataTypes.FIELD("at_ms", DataTypes.TIMESTAMP(3).notNull()),
                DataTypes.FIELD("at_us", DataTypes.TIMESTAMP(6).notNull()),
                DataTypes.FIELD("price", DataTypes.DECIMAL(12, 2))).getLogicalType();

        Schema schema = AvroSchemas.of("shop.prices", rowType);

        assertThat(schema.getField("at_ms").schema().getLogicalType().getName()).isEqualTo("timestamp-millis");
        assertThat(schema.getField("at_us").schema().getLogicalType().getName()).isEqualTo("timestamp-micros");
        Schema price = schema.getField("price").schema().getTypes().get(1);
        assertThat(price.getType()).isEqualTo(Schema.Type.BYTES);
        assertThat(price.getObjectProp("precision")).isEqualTo(12);
        assertThat(price.getObjectProp("scale")).isEqualTo(2);
    }

    @Test
    void aTypeWithoutAvroFormNamesTheColumn() {
        RowType rowType = (RowType) DataTypes.ROW(DataTypes.FIELD("at", DataTypes.TIMESTAMP(9))).getLogicalType();
        assertThatThrownBy(() -> AvroSchemas.of("a.b", rowType))
                .hasMessage("column 'at' of table a.b has type TIMESTAMP(9), which has no Avro form here");
    }

    private static TableConfig table(ColumnConfig... columns) {
        return new TableConfig("shop.orders", null, null, null, List.of(columns), null, null, null, null, null);
    }
}

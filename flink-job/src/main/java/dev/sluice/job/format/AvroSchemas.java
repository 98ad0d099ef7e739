package dev.sluice.job.format;

import dev.sluice.core.config.KafkaSinkConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * The Avro schema of a stream table, derived from its row type ({@link TableSchemas#rowType}), so the Kafka
 * sink's Avro values, the schema registered for them and the one {@code sluice ddl --dialect avro} prints
 * cannot drift from the lake tables' columns.
 *
 * <p>Mapping: {@code STRING}/{@code JSON} → {@code string}; {@code BIGINT} → {@code long}; {@code DOUBLE} →
 * {@code double}; {@code BOOLEAN} → {@code boolean}; {@code DATE} → {@code int} (logical {@code date});
 * {@code TIMESTAMP(p)} → {@code long} with logical {@code timestamp-millis} for p ≤ 3 and
 * {@code timestamp-micros} for p ≤ 6 (the table's timestamps are UTC instants, {@link TableSchemas}
 * declares them at microseconds); {@code DECIMAL(p, s)} → {@code bytes} with logical {@code decimal(p, s)}. A
 * nullable column is the union {@code ["null", type]} with default {@code null}, so a reader with a
 * later version of the schema that added such a column can still read old values.
 */
public final class AvroSchemas {
    private AvroSchemas() {
    }

    /**
     * A record named after the table ({@code db.t}: namespace {@code db}, name {@code t}), one field per
     * column in table order.
     *
     * @throws IllegalArgumentException naming the column when its name or type has no Avro form
     */
    public static Schema of(String table, RowType rowType) {
        int dot = table.indexOf('.');
        List<Schema.Field> fields = new ArrayList<>();
        for (RowType.RowField column : rowType.getFields()) {
            if (!KafkaSinkConfig.AVRO_NAME.matcher(column.getName()).matches()) {
                throw new IllegalArgumentException("column '" + column.getName() + "' of table " + table
                        + " is not a valid Avro field name (letters, digits, _; not starting with a digit)");
            }
            Schema type = valueSchema(table, column.getName(), column.getType());
            fields.add(column.getType().isNullable()
                    ? new Schema.Field(column.getName(), Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                            null, JsonProperties.NULL_VALUE)
                    : new Schema.Field(column.getName(), type));
        }
        return Schema.createRecord(table.substring(dot + 1), "Rows of the Sluice stream table " + table,
                dot < 0 ? null : table.substring(0, dot), false, fields);
    }

    private static Schema valueSchema(String table, String column, LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return Schema.create(Schema.Type.STRING);
            case BIGINT:
                return Schema.create(Schema.Type.LONG);
            case DOUBLE:
                return Schema.create(Schema.Type.DOUBLE);
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case DATE:
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIMESTAMP_WITHOUT_TIME_ZONE: {
                int precision = ((TimestampType) type).getPrecision();
                if (precision <= 3) {
                    return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
                }
                if (precision <= 6) {
                    return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
                }
                break;
            }
            case DECIMAL: {
                DecimalType decimal = (DecimalType) type;
                return LogicalTypes.decimal(decimal.getPrecision(), decimal.getScale())
                        .addToSchema(Schema.create(Schema.Type.BYTES));
            }
            default:
                break;
        }
        throw new IllegalArgumentException("column '" + column + "' of table " + table + " has type "
                + type.asSummaryString() + ", which has no Avro form here");
    }
}

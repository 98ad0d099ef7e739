package dev.sluice.job.format;

import dev.sluice.core.config.ColumnConfig;
import dev.sluice.core.config.LogicalType;
import dev.sluice.core.config.TableConfig;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;

/**
 * The physical row type of a stream table, derived from its columns: the one place logical types map to
 * Flink types, and what the sinks derive Hudi/Hive schemas from. The rows {@link RowFormatter} builds
 * hold exactly these types' internal classes.
 */
public final class TableSchemas {
    /** Microseconds: Flink and Spark read Hudi MOR timestamps alike only at this precision. */
    public static final int TIMESTAMP_PRECISION = 6;

    private TableSchemas() {
    }

    /** Columns in table order; a column is NOT NULL when it is {@code required}. */
    public static RowType rowType(TableConfig table) {
        return RowType.of(
                table.columns().stream().map(TableSchemas::logicalType)
                        .toArray(org.apache.flink.table.types.logical.LogicalType[]::new),
                table.columns().stream().map(ColumnConfig::name).toArray(String[]::new));
    }

    /** The Flink type of one column. */
    public static org.apache.flink.table.types.logical.LogicalType logicalType(ColumnConfig column) {
        boolean nullable = !column.required();
        LogicalType type = column.type();
        return switch (type) {
            case STRING, JSON -> new VarCharType(nullable, VarCharType.MAX_LENGTH);
            case BIGINT -> new BigIntType(nullable);
            case DOUBLE -> new DoubleType(nullable);
            case BOOLEAN -> new BooleanType(nullable);
            case TIMESTAMP -> new TimestampType(nullable, TIMESTAMP_PRECISION);
            case DATE -> new DateType(nullable);
        };
    }
}

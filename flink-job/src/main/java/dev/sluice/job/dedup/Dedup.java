package dev.sluice.job.dedup;

import dev.sluice.core.config.TableConfig;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

/** Adds a table's real-time dedup stage ({@link DedupFunction}) in front of its sinks. */
public final class Dedup {
    private Dedup() {
    }

    /** Whether the ETL stage leaves the outcome of this table's rows to a dedup stage. */
    public static boolean isDeduplicated(TableConfig table) {
        return table.dedup() != null;
    }

    /** {@code rows} without duplicates when the table has {@code dedup}, else {@code rows} unchanged. */
    public static DataStream<RowData> apply(DataStream<RowData> rows, TableConfig table, RowType rowType,
                                            Duration slaTtl) {
        if (!isDeduplicated(table)) {
            return rows;
        }
        String name = table.name().replace('.', '_');
        return rows.keyBy(new DedupKey(rowType, table.dedup().key()))
                .process(new DedupFunction(table.name(), table.dedup(), slaTtl), InternalTypeInfo.of(rowType))
                .name("dedup:" + table.name())
                .uid("dedup-" + name);
    }
}

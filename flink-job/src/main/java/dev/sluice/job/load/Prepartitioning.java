package dev.sluice.job.load;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

/**
 * How rows are spread over a table's writer subtasks. {@code salt > 0}: {@code keyBy(table, partition,
 * salt)}, so a checkpoint writes at most {@code salt × partitions} files; {@code salt == 0}: plain
 * rebalance, every subtask may write every partition ({@code parallelism × partitions} files).
 */
public final class Prepartitioning {
    private Prepartitioning() {
    }

    public static DataStream<RowData> apply(DataStream<RowData> rows, String table, PartitionPath partition, int salt) {
        if (salt < 0) {
            throw new IllegalArgumentException("salt of table " + table + " must be 0 (off) or more, was " + salt);
        }
        if (salt == 0) {
            return rows.rebalance();
        }
        RowType rowType = ((InternalTypeInfo<RowData>) rows.getType()).toRowType();
        return rows.keyBy(new SaltedPartitionKey(table, partition, salt, rowType));
    }
}

package dev.sluice.job.load;

import java.util.List;
import org.apache.flink.api.common.functions.Partitioner;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

/**
 * How rows are spread over a table's writer subtasks, bounding the files a checkpoint writes:
 * <ul>
 *   <li>{@code salt == 0} (off): rebalance; every writer may write every partition
 *       ({@code writers × partitions} files per checkpoint);</li>
 *   <li>{@code salt > 0}: rows are partitioned by (partition, salt bucket) ({@link SaltedPartitionKey})
 *       and the {@code salt} buckets of a partition go to consecutive subtasks, so a partition is
 *       written by {@code min(salt, writers)} writers: at most {@code salt × partitions} files.</li>
 * </ul>
 * The shuffle stays even when {@code salt ≥ writers}, where it bounds nothing, so the writers never run
 * in the source's task: after each checkpoint a Hudi writer blocks its task thread until the coordinator
 * has committed and started the next instant, and in a source task the next checkpoint's trigger then
 * runs before any further record. With commits about as long as the checkpoint interval that starved
 * the source to one record per subtask and checkpoint (seen with a 1 s interval under load); behind a
 * shuffle the records of the wait sit in network buffers ahead of the next barrier.
 *
 * <p>A custom partitioner rather than {@code keyBy}: hashing a dozen keys into key groups leaves some
 * writers with twice the rows of others (measured: 63 % / 37 % over two writers with 3 partitions ×
 * salt 4), while consecutive subtasks share the buckets evenly; and the writers keep no keyed state, so
 * nothing needs the key again after the shuffle.
 */
public final class Prepartitioning {
    private Prepartitioning() {
    }

    /**
     * @param spreadColumns the columns whose values spread a partition's rows over its {@code salt}
     *     writers (the record key when there is one); empty for all columns
     */
    public static DataStream<RowData> apply(DataStream<RowData> rows, String table, PartitionPath partition, int salt,
            List<String> spreadColumns) {
        if (salt < 0) {
            throw new IllegalArgumentException("salt of table " + table + " must be 0 (off) or more, was " + salt);
        }
        if (salt == 0) {
            return rows.rebalance();
        }
        RowType rowType = ((InternalTypeInfo<RowData>) rows.getType()).toRowType();
        return rows.partitionCustom(new ConsecutiveSubtasks(),
                new SaltedPartitionKey(table, partition, salt, rowType, spreadColumns));
    }

    /** Key {@code partitionHash + bucket} → subtask {@code key mod n}: a partition's buckets on consecutive subtasks. */
    static final class ConsecutiveSubtasks implements Partitioner<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public int partition(Integer key, int subtasks) {
            return Math.floorMod(key, subtasks);
        }
    }
}

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
 * When {@code salt ≥ writers} the shuffle bounds nothing. If the sink is then the only data sink of its
 * job and its producer has the writers' parallelism, the rows are written in place ({@link #writesInPlace}):
 * no shuffle, the writers chained to the producer as in Flink SQL's Kafka-to-Hudi plans, which saves
 * serializing every row and handing it to another thread. The producer must not run in the source's
 * task ({@code EtlJob} starts a new chain at the ETL operator): after each checkpoint a Hudi writer blocks
 * its task thread until the coordinator has committed and started the next instant, and in a source task
 * the next checkpoint's trigger then runs before any further record, which starved the source to one
 * record per subtask and checkpoint (1 s interval, under load). Behind the forward exchange from the source
 * the records of the wait sit in network buffers ahead of the next barrier. Jobs with several sinks keep
 * the shuffle so no two writers share a thread: one writer waiting for its instant would hold up the others.
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
     * Whether a sink with {@code writers} subtasks and this salt takes its rows from a producer of
     * {@code producerParallelism} subtasks without a shuffle, when it is its job's only data sink.
     */
    public static boolean writesInPlace(int salt, int writers, int producerParallelism) {
        return salt >= writers && producerParallelism == writers;
    }

    /**
     * @param spreadColumns the columns whose values spread a partition's rows over its {@code salt}
     *     writers (the record key when there is one); empty for all columns
     * @param writers the sink's parallelism
     * @param soleSink whether the sink is its job's only data sink (then it may write in place)
     */
    public static DataStream<RowData> apply(DataStream<RowData> rows, String table, PartitionPath partition, int salt,
            List<String> spreadColumns, int writers, boolean soleSink) {
        if (salt < 0) {
            throw new IllegalArgumentException("salt of table " + table + " must be 0 (off) or more, was " + salt);
        }
        if (soleSink && writesInPlace(salt, writers, rows.getParallelism())) {
            return rows;
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

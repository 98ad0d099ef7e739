package dev.sluice.backfill;

import dev.sluice.job.load.PartitionPath;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.RowData;

/**
 * Keeps the rows of one partition ({@code dt=2026-11-23}, as {@link PartitionPath} names the sinks'
 * directories) and counts both the kept rows and those of other partitions (accumulators
 * {@link #KEPT} and {@link #OTHER}): a window of the raw topic also holds late and early rows of
 * neighbouring days, which the replay must not touch.
 */
final class PartitionFilter extends RichFilterFunction<RowData> {
    private static final long serialVersionUID = 1L;
    static final String KEPT = "replay-rows-kept";
    static final String OTHER = "replay-rows-other-partitions";

    private final PartitionPath partition;
    private final String wanted;

    private transient LongCounter kept;
    private transient LongCounter other;

    PartitionFilter(PartitionPath partition, String wanted) {
        this.partition = partition;
        this.wanted = wanted;
    }

    @Override
    public void open(Configuration parameters) {
        kept = getRuntimeContext().getLongCounter(KEPT);
        other = getRuntimeContext().getLongCounter(OTHER);
    }

    @Override
    public boolean filter(RowData row) {
        boolean keep = wanted.equals(partition.path(row));
        (keep ? kept : other).add(1L);
        return keep;
    }
}

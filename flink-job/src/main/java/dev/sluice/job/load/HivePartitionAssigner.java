package dev.sluice.job.load;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.table.data.RowData;

/** Puts each row in the directory of its Hive partition ({@code dt=2026-11-23/}) under the table path. */
final class HivePartitionAssigner implements BucketAssigner<RowData, String> {
    private static final long serialVersionUID = 1L;

    private final PartitionPath partition;

    HivePartitionAssigner(PartitionPath partition) {
        this.partition = partition;
    }

    @Override
    public String getBucketId(RowData row, Context context) {
        return partition.path(row);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}

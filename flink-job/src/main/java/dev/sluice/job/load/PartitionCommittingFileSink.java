package dev.sluice.job.load;

import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.StatefulSink;
import org.apache.flink.api.connector.sink2.TwoPhaseCommittingSink;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.connector.file.sink.writer.FileWriter;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

/**
 * Flink's {@link FileSink} (exactly-once: files are finalised when a checkpoint completes) whose committer
 * also registers each partition that received committed files in the Hive Metastore.
 *
 * <p>Work flow: writers roll a file per partition at each checkpoint; when the checkpoint completes the
 * committer renames them into place and then registers their partitions, so a partition is registered
 * once its first files are visible and never for data that could still be rolled back. Fault tolerance:
 * the file sink's own writer state and committables, unchanged; see {@link PartitionRegisteringCommitter}.
 */
final class PartitionCommittingFileSink implements StatefulSink<RowData, FileWriterBucketState>,
        TwoPhaseCommittingSink<RowData, FileSinkCommittable> {
    private static final long serialVersionUID = 1L;

    private final FileSink<RowData> files;
    private final PartitionRegistrar registrar;

    PartitionCommittingFileSink(FileSink<RowData> files, PartitionRegistrar registrar) {
        this.files = files;
        this.registrar = registrar;
    }

    @Override
    public FileWriter<RowData> createWriter(InitContext context) throws IOException {
        return files.createWriter(context);
    }

    @Override
    public FileWriter<RowData> restoreWriter(InitContext context, Collection<FileWriterBucketState> states)
            throws IOException {
        return files.restoreWriter(context, states);
    }

    @Override
    public SimpleVersionedSerializer<FileWriterBucketState> getWriterStateSerializer() {
        return files.getWriterStateSerializer();
    }

    @Override
    public Committer<FileSinkCommittable> createCommitter() throws IOException {
        return new PartitionRegisteringCommitter(files.createCommitter(), registrar);
    }

    @Override
    public SimpleVersionedSerializer<FileSinkCommittable> getCommittableSerializer() {
        return files.getCommittableSerializer();
    }
}

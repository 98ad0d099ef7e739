package dev.sluice.job.load;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.thrift.TException;

/**
 * The file sink's committer, then the metastore: once the files of a checkpoint are renamed into place,
 * the partitions they landed in are registered.
 *
 * <p>Fault tolerance: a failed registration fails the commit, and Flink retries the whole commit after
 * recovery; both steps are idempotent (already-committed files and existing partitions are skipped).
 * Registering here rather than in a post-commit topology also covers the final commit of a bounded job.
 */
final class PartitionRegisteringCommitter implements Committer<FileSinkCommittable> {
    private final Committer<FileSinkCommittable> files;
    private final PartitionRegistrar registrar;

    PartitionRegisteringCommitter(Committer<FileSinkCommittable> files, PartitionRegistrar registrar) {
        this.files = files;
        this.registrar = registrar;
    }

    @Override
    public void commit(Collection<CommitRequest<FileSinkCommittable>> requests) throws IOException, InterruptedException {
        files.commit(requests);
        Set<String> partitions = new LinkedHashSet<>();
        for (CommitRequest<FileSinkCommittable> request : requests) {
            if (request.getCommittable().hasPendingFile()) {
                partitions.add(request.getCommittable().getBucketId());
            }
        }
        if (partitions.isEmpty()) {
            return;
        }
        try {
            registrar.register(partitions);
        } catch (TException e) {
            throw new IOException("registering partitions " + partitions + " in the Hive Metastore failed", e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            files.close();
        } finally {
            registrar.close();
        }
    }
}

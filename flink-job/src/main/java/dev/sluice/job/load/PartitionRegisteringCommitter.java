package dev.sluice.job.load;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file sink's committer, then the metastore: once the files of a checkpoint are renamed into place,
 * the partitions they landed in are registered.
 *
 * <p>Fault tolerance: when the metastore is down or refuses, the files stay committed (readers of a
 * partition that is already registered see them) and the requests are handed back to Flink to retry
 * later ({@link CommitRequest#retryLater()}: every second, and with each later checkpoint) until the
 * metastore answers: a metastore outage, however long, neither restarts the job nor uses up its restart
 * attempts. Both steps are idempotent (already-committed files and existing partitions are skipped), so
 * a retry commits no file twice. Registering here rather than in a post-commit topology also covers the
 * final commit of a bounded job.
 */
final class PartitionRegisteringCommitter implements Committer<FileSinkCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionRegisteringCommitter.class);

    private final Committer<FileSinkCommittable> files;
    private final PartitionRegistrar registrar;
    /** Registration is failing: log the outage once, and its end. */
    private boolean waiting;

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
            if (waiting) {
                waiting = false;
                LOG.info("registered partitions {} after the Hive Metastore answered again", partitions);
            }
        } catch (TException e) {
            if (!waiting) {
                waiting = true;
                LOG.warn("registering partitions {} in the Hive Metastore failed ({}); their files are committed, "
                        + "the registration is retried every second until the metastore answers", partitions, e.toString());
            }
            for (CommitRequest<FileSinkCommittable> request : requests) {
                if (request.getCommittable().hasPendingFile()) {
                    request.retryLater();
                }
            }
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

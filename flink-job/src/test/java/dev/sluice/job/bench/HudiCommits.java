package dev.sluice.job.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hudi.common.model.HoodieCommitMetadata;
import org.apache.hudi.common.model.WriteOperationType;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;

/**
 * What the completed write instants of Hudi tables hold, from their timelines' commit metadata: the benches
 * count records a reader can see, not records a source emitted. Compaction and clustering instants rewrite
 * rows already counted and are left out.
 *
 * @param instants  completed write instants ({@code commit} of COW, {@code deltacommit} of MOR)
 * @param writes    rows the instants wrote into files (an insert's rows; a COW upsert also rewrites the
 *                  untouched rows of the file groups it updates)
 * @param inserts   rows the instants inserted (new keys)
 * @param updates   rows the instants wrote over an existing key
 * @param lastNanos completion of the newest write instant on the {@link System#nanoTime} clock (0: none)
 */
record HudiCommits(int instants, long writes, long inserts, long updates, long lastNanos) {

    static HudiCommits of(List<Path> tables) throws IOException {
        int instants = 0;
        long writes = 0;
        long inserts = 0;
        long updates = 0;
        long newestMillis = 0;
        for (Path table : tables) {
            if (!Files.isDirectory(table.resolve(".hoodie"))) {
                continue;
            }
            HoodieTableMetaClient meta = HoodieTableMetaClient.builder().setConf(new Configuration())
                    .setBasePath(table.toUri().toString()).build();
            HoodieTimeline timeline = meta.getActiveTimeline().getCommitsTimeline().filterCompletedInstants();
            for (HoodieInstant instant : timeline.getInstants()) {
                String action = instant.getAction();
                if (!action.equals(HoodieTimeline.COMMIT_ACTION) && !action.equals(HoodieTimeline.DELTA_COMMIT_ACTION)) {
                    continue;
                }
                HoodieCommitMetadata metadata = HoodieCommitMetadata.fromBytes(
                        timeline.getInstantDetails(instant).get(), HoodieCommitMetadata.class);
                if (metadata.getOperationType() == WriteOperationType.COMPACT) {
                    continue; // a MOR compaction completes as a "commit": its rows were counted by the delta commits
                }
                instants++;
                writes += metadata.fetchTotalRecordsWritten();
                inserts += metadata.fetchTotalInsertRecordsWritten();
                updates += metadata.fetchTotalUpdateRecordsWritten();
                Path file = table.resolve(".hoodie").resolve(instant.getFileName());
                if (Files.exists(file)) {
                    newestMillis = Math.max(newestMillis, Files.getLastModifiedTime(file).toMillis());
                }
            }
        }
        long lastNanos = newestMillis == 0 ? 0
                : System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - newestMillis);
        return new HudiCommits(instants, writes, inserts, updates, lastNanos);
    }
}

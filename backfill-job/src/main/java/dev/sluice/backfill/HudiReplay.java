package dev.sluice.backfill;

import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.job.load.HudiSink;
import dev.sluice.job.load.LakeSink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.types.Row;
import org.apache.hudi.client.HoodieFlinkWriteClient;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.configuration.FlinkOptions;
import org.apache.hudi.util.AvroSchemaConverter;
import org.apache.hudi.util.FlinkWriteClients;

/**
 * The Hudi side of a replay: the repaired partition is written by the streaming job's own Hudi sink
 * definition with {@code write.operation=insert_overwrite} ({@code --from kafka}: one replacecommit whose
 * new file groups replace every file group of the partition, so readers see only the new ones), or with
 * the table's own operation ({@code --from errors}: the repaired rows join the partition in one commit).
 *
 * <p>Rollback rolls back the run's instant with Hudi's own rollback (its files and timeline entry go, the
 * replaced file groups are current again) rather than restoring a savepoint: a restore to the instant
 * before the run would also undo every commit the streaming job made since. Hudi refuses to roll back an
 * instant that later commits of the same table follow, and says so; the replay passes that on.
 */
final class HudiReplay {
    /** Hudi's name of the operation that replaces the partitions it writes. */
    static final String INSERT_OVERWRITE = "insert_overwrite";

    private HudiReplay() {
    }

    /** The table's sink definition, writing with {@code operation} and {@code parallelism} writers. */
    static HudiSink sink(ReplayTarget target, String operation, int parallelism) {
        HudiSinkConfig config = (HudiSinkConfig) target.sinkConfig();
        Map<String, String> options = new HashMap<>(config.options());
        options.put(FlinkOptions.OPERATION.key(), operation);
        HudiSinkConfig overwrite = new HudiSinkConfig(config.tableType(), config.operation(), config.recordKey(),
                config.precombineField(), config.partitionFields(), options);
        return HudiSink.builder().table(target.name()).rowType(target.target().rowType()).config(overwrite)
                .basePath(target.basePath()).parallelism(parallelism).salt(target.config().salt()).build();
    }

    /** Whether the partition's directory holds a Hudi partition. */
    static boolean partitionExists(ReplayTarget target, String partition) throws Exception {
        return LakeFiles.exists(target.basePath() + "/" + partition + "/.hoodie_partition_metadata");
    }

    /** Rows of the partition as Hudi's reader (snapshot) returns them. */
    static List<Row> rows(ReplayTarget target) throws Exception {
        LakeSink sink = target.target().sink();
        List<String> fields = target.partitionFields();
        return sink.readAll().stream().filter(row -> {
            for (int i = 0; i < fields.size(); i++) {
                if (!target.partitionValues().get(i).equals(String.valueOf(row.getField(fields.get(i))))) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    /** The table's latest completed commit-like instant ({@code commit}, {@code replacecommit}, ...), or null. */
    static HoodieInstant lastCompleted(ReplayTarget target) {
        HoodieTimeline commits = metaClient(target).getActiveTimeline().getCommitsTimeline().filterCompletedInstants();
        return commits.lastInstant().orElse(null);
    }

    /**
     * Rolls back {@code instant} of the table.
     *
     * @throws ReplayException (verification failed) with Hudi's reason when it refuses
     */
    static void rollback(ReplayTarget target, String instant) {
        // What Hudi's table factory adds to a sink's options before it builds a writer: the schema and keys.
        Configuration conf = Configuration.fromMap(((HudiSink) target.target().sink()).options());
        HudiSinkConfig config = (HudiSinkConfig) target.sinkConfig();
        conf.set(FlinkOptions.SOURCE_AVRO_SCHEMA, AvroSchemaConverter.convertToSchema(target.target().rowType()).toString());
        if (!config.recordKey().isEmpty()) {
            conf.set(FlinkOptions.RECORD_KEY_FIELD, String.join(",", config.recordKey()));
        }
        conf.set(FlinkOptions.PARTITION_PATH_FIELD, String.join(",", config.partitionFields()));
        try (HoodieFlinkWriteClient<?> client = FlinkWriteClients.createWriteClient(conf)) {
            if (!client.rollback(instant)) {
                throw new ReplayException(ExitCodes.VERIFICATION_FAILED, "Hudi did not roll back instant " + instant
                        + " of " + target.basePath());
            }
        } catch (ReplayException e) {
            throw e;
        } catch (Exception e) {
            throw new ReplayException(ExitCodes.VERIFICATION_FAILED, "Hudi refused to roll back instant " + instant
                    + " of " + target.basePath() + ": " + e.getMessage(), e);
        }
    }

    private static HoodieTableMetaClient metaClient(ReplayTarget target) {
        return HoodieTableMetaClient.builder().setConf(new org.apache.hadoop.conf.Configuration())
                .setBasePath(target.basePath()).build();
    }
}

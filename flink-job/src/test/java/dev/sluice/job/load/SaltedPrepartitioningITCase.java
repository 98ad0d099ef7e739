package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.HiveSinkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same input written by n = 4 writer subtasks into m = 3 partitions, without and with salted
 * pre-partitioning, counted from the files on disk.
 *
 * <p>A writer subtask rolls at most one file per partition per checkpoint, so the number of distinct
 * (partition, subtask) pairs among the written files bounds the files of any one checkpoint: n·m without
 * salt, at most s·m with salt s.
 */
class SaltedPrepartitioningITCase {
    private static final Logger LOG = LoggerFactory.getLogger(SaltedPrepartitioningITCase.class);
    private static final int PARALLELISM = 4;
    private static final int PARTITIONS = 3;
    /** FileSink part files: {@code part-<UUID of the writer subtask>-<counter>.parquet}. */
    private static final Pattern PART_FILE = Pattern.compile("part-([0-9a-f-]{36})-\\d+\\.parquet");

    @TempDir
    Path lake;

    @Test
    void saltBoundsFilesPerPartitionAndCheckpoint() throws Exception {
        List<RowData> input = LakeRows.rows(4000, PARTITIONS);

        FileCount rebalanced = write(input, 0);
        FileCount salt1 = write(input, 1);
        FileCount salt2 = write(input, 2);

        LOG.info("files written by n={} subtasks into m={} partitions: no salt {} ({} partition×subtask pairs), "
                        + "salt 1 {} ({} pairs), salt 2 {} ({} pairs)", PARALLELISM, PARTITIONS,
                rebalanced.files, rebalanced.pairs, salt1.files, salt1.pairs, salt2.files, salt2.pairs);
        assertThat(rebalanced.pairs).isEqualTo(PARALLELISM * PARTITIONS);
        assertThat(salt1.pairs).isEqualTo(PARTITIONS);
        // A partition's salt buckets go to consecutive subtasks: exactly min(salt, n) writers per partition.
        assertThat(salt2.pairs).isEqualTo(2 * PARTITIONS);
        assertThat(salt1.files).isLessThan(rebalanced.files);
    }

    private FileCount write(List<RowData> input, int salt) throws Exception {
        Path table = lake.resolve("salt-" + salt);
        StreamExecutionEnvironment env = LakeRows.environment(PARALLELISM);
        HiveSink.builder()
                .table("bench.salt_" + salt).rowType(LakeRows.ROW_TYPE)
                .config(new HiveSinkConfig(List.of("dt")))
                .basePath(table.toUri().toString())
                .parallelism(PARALLELISM).salt(salt)
                .build()
                .writeTo(LakeRows.source(env, input));
        env.execute("salt-" + salt);
        return FileCount.of(table);
    }

    private record FileCount(int files, int pairs) {
        static FileCount of(Path table) throws IOException {
            try (Stream<Path> paths = Files.walk(table)) {
                List<Path> files = paths.filter(Files::isRegularFile).collect(Collectors.toList());
                Set<String> pairs = new TreeSet<>();
                for (Path file : files) {
                    Matcher name = PART_FILE.matcher(file.getFileName().toString());
                    assertThat(name.matches()).as("committed part file %s", file).isTrue();
                    pairs.add(file.getParent().getFileName() + "/" + name.group(1));
                }
                return new FileCount(files.size(), pairs.size());
            }
        }
    }
}

package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.HudiTableType;
import dev.sluice.core.config.WriteOperation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HudiSinkTest {

    @Test
    void morTablesCompactAsynchronouslyEveryFiveDeltaCommitsUnlessConfigured() {
        HudiSink defaults = sink(HudiTableType.MERGE_ON_READ, Map.of());
        HudiSink configured = sink(HudiTableType.MERGE_ON_READ, Map.of("compaction.delta_commits", "2"));

        assertThat(defaults.options()).containsEntry("compaction.async.enabled", "true")
                .containsEntry("compaction.trigger.strategy", "num_commits")
                .containsEntry("compaction.delta_commits", "5");
        assertThat(configured.options()).containsEntry("compaction.delta_commits", "2");
        assertThat(sink(HudiTableType.COPY_ON_WRITE, Map.of()).options()).doesNotContainKey("compaction.delta_commits");
    }

    @Test
    void writesSnappyParquetUnlessConfigured() {
        assertThat(sink(HudiTableType.COPY_ON_WRITE, Map.of()).options())
                .containsEntry("hoodie.parquet.compression.codec", "snappy");
        assertThat(sink(HudiTableType.COPY_ON_WRITE, Map.of("hoodie.parquet.compression.codec", "zstd")).options())
                .containsEntry("hoodie.parquet.compression.codec", "zstd");
    }

    @Test
    void writesSmallRecordKeyBloomFiltersUnlessConfigured() {
        assertThat(sink(HudiTableType.COPY_ON_WRITE, Map.of()).options())
                .containsEntry("hoodie.index.bloom.fpp", "0.01")
                .containsEntry("hoodie.index.bloom.num_entries", "10000");
        assertThat(sink(HudiTableType.COPY_ON_WRITE, Map.of("hoodie.index.bloom.fpp", "0.000000001")).options())
                .containsEntry("hoodie.index.bloom.fpp", "0.000000001");
    }

    @Test
    void passesLakeStorageSettingsAsHadoopOptions() {
        HudiSink sink = HudiSink.builder().table("app.events").rowType(LakeRows.ROW_TYPE)
                .config(config(HudiTableType.COPY_ON_WRITE, Map.of())).basePath("s3a://lake/app/events")
                .storage(LakeStorage.s3("http://127.0.0.1:9000", "key", "secret")).build();

        assertThat(sink.options()).containsEntry("hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000")
                .containsEntry("hadoop.fs.s3a.path.style.access", "true")
                .containsEntry("hadoop.fs.s3a.connection.ssl.enabled", "false");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> HudiSink.builder().table("app.events").rowType(LakeRows.ROW_TYPE)
                .config(new HudiSinkConfig(HudiTableType.COPY_ON_WRITE, WriteOperation.UPSERT, List.of(), null,
                        List.of("day"), Map.of(), null))
                .basePath("file:///tmp/x").salt(-1).build())
                .hasMessageContaining("operation upsert needs record-key")
                .hasMessageContaining("partition field 'day' is not a column of the table")
                .hasMessageContaining("salt must be 0 (off) or more, was -1");
    }

    private static HudiSink sink(HudiTableType type, Map<String, String> options) {
        return HudiSink.builder().table("app.events").rowType(LakeRows.ROW_TYPE).config(config(type, options))
                .basePath("file:///tmp/app/events").build();
    }

    private static HudiSinkConfig config(HudiTableType type, Map<String, String> options) {
        return new HudiSinkConfig(type, WriteOperation.UPSERT, List.of("id"), null, List.of("dt"), options, null);
    }
}

package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.HudiTableType;
import dev.sluice.core.config.WriteOperation;
import dev.sluice.infra.s3.S3Server;
import dev.sluice.infra.s3.S3Servers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Hudi table on {@code s3a://} against a real S3 API server (S3Proxy, files under a temp directory). */
class HudiS3ITCase {

    @TempDir
    Path dir;

    private static void write(HudiSink sink, List<RowData> rows) throws Exception {
        StreamExecutionEnvironment env = LakeRows.environment(1);
        sink.writeTo(LakeRows.source(env, rows));
        env.execute("hudi-s3-test");
    }

    @Test
    void writesUpsertsAndDeletesAHudiTableOnS3() throws Exception {
        try (S3Server s3 = S3Servers.start(dir.resolve("s3"))) {
            Path bucket = s3.createBucket("lake");
            HudiSink sink = HudiSink.builder()
                    .table("app.events").rowType(LakeRows.ROW_TYPE)
                    .config(new HudiSinkConfig(HudiTableType.MERGE_ON_READ, WriteOperation.UPSERT, List.of("id"),
                            null, List.of("dt"), Map.of(), null))
                    .basePath("s3a://lake/app/events")
                    .storage(LakeStorage.s3(s3.endpoint(), s3.accessKey(), s3.secretKey()))
                    .parallelism(1).salt(1)
                    .build();

            write(sink, LakeRows.rows(200, 2));
            // A Debezium delete arrives as a row of kind DELETE: upsert removes its key.
            RowData delete = LakeRows.rows(6, 2).get(5);
            delete.setRowKind(RowKind.DELETE);
            write(sink, List.of(delete));

            List<Row> rows = sink.readAll();
            assertThat(rows).hasSize(199);
            assertThat(rows).contains(Row.of(7L, "message 7", "2026-11-02"))
                    .doesNotContain(Row.of(5L, "message 5", "2026-11-02"));
            // The objects really went through the S3 API into the bucket's directory.
            assertThat(bucket.resolve("app/events/.hoodie/hoodie.properties")).exists();
            try (Stream<Path> files = Files.walk(bucket.resolve("app/events/dt=2026-11-01"))) {
                assertThat(files.filter(Files::isRegularFile)).isNotEmpty();
            }
        }
    }
}

package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.HiveSinkConfig;
import dev.sluice.infra.metastore.HiveMetastore;
import dev.sluice.infra.metastore.HiveMetastores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.Row;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HiveSinkITCase {

    @TempDir
    static Path shared;

    static HiveMetastore metastore;

    @TempDir
    Path lake;

    @BeforeAll
    static void startMetastore() {
        metastore = HiveMetastores.start(shared.resolve("metastore"));
    }

    @AfterAll
    static void stopMetastore() {
        if (metastore != null) {
            metastore.close();
        }
    }

    @Test
    void writesParquetPartitionsAndRegistersThemInTheMetastore() throws Exception {
        String database = "web_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        List<RowData> input = LakeRows.rows(300, 3);
        HiveSink sink = HiveSink.builder()
                .table(database + ".access").rowType(LakeRows.ROW_TYPE)
                .config(new HiveSinkConfig(List.of("dt")))
                .basePath(lake.resolve("access").toUri().toString())
                .metastoreUri(metastore.thriftUri())
                .parallelism(2).salt(1)
                .build();

        StreamExecutionEnvironment env = LakeRows.environment(2);
        sink.writeTo(LakeRows.source(env, input));
        env.execute("hive-sink-test");

        try (HiveMetastoreClient client = HiveMetastoreClient.connect(metastore.thriftUri())) {
            Table table = client.table(database, "access");
            assertThat(table.getTableType()).isEqualTo("EXTERNAL_TABLE");
            assertThat(table.getSd().getCols()).extracting(FieldSchema::getName).containsExactly("id", "msg");
            assertThat(table.getPartitionKeys()).extracting(FieldSchema::getName, FieldSchema::getType)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("dt", "string"));
            assertThat(client.partitionNames(database, "access"))
                    .containsExactlyInAnyOrder("dt=2026-11-01", "dt=2026-11-02", "dt=2026-11-03");
        }
        try (Stream<Path> files = Files.walk(lake.resolve("access"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .isNotEmpty()
                    .allMatch(name -> name.startsWith("part-") && name.endsWith(".parquet"), "committed Parquet parts only");
        }
        List<Row> rows = HiveTableReader.readAll(sink);
        assertThat(rows).hasSize(300);
        assertThat(rows).contains(Row.of(7L, "message 7", "2026-11-02"), Row.of(299L, "message 299", "2026-11-03"));
    }

    @Test
    void builderReportsEveryProblemAtOnce() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HiveSink.builder()
                        .table("no_database").rowType(LakeRows.ROW_TYPE)
                        .config(new HiveSinkConfig(List.of("day")))
                        .basePath("file:///tmp/x").metastoreUri("http://metastore").salt(-1).build())
                .hasMessageContaining("name must be database.table")
                .hasMessageContaining("partition field 'day' is not a column of the table")
                .hasMessageContaining("metastore URI must look like thrift://host:9083")
                .hasMessageContaining("salt must be 0 (off) or more");
    }
}

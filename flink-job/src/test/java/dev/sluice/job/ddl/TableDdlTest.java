package dev.sluice.job.ddl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.load.KafkaTableSink;
import dev.sluice.job.load.LakeStorage;
import dev.sluice.job.testing.JobFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The statements per dialect for {@code pipelines/it-ddl.yaml}: a MOR Hudi table, its Parquet copy, the error table. */
class TableDdlTest {

    @Test
    void flinkHudiTableHasTheSinksKeyPartitioningAndTableOptions() throws Exception {
        assertThat(statement(Dialect.FLINK, "orders")).isEqualTo("""
                CREATE TABLE IF NOT EXISTS `ddl`.`orders` (
                  `id` STRING NOT NULL,
                  `ts` TIMESTAMP(6) NOT NULL,
                  `amount` DOUBLE,
                  `qty` BIGINT,
                  `paid` BOOLEAN,
                  `day` DATE,
                  `dt` STRING NOT NULL,
                  PRIMARY KEY (`id`) NOT ENFORCED
                )
                PARTITIONED BY (`dt`)
                WITH (
                  'connector' = 'hudi',
                  'compaction.async.enabled' = 'true',
                  'compaction.delta_commits' = '5',
                  'compaction.schedule.enabled' = 'true',
                  'compaction.trigger.strategy' = 'num_commits',
                  'hoodie.datasource.write.hive_style_partitioning' = 'true',
                  'hoodie.index.bloom.fpp' = '0.01',
                  'hoodie.index.bloom.num_entries' = '10000',
                  'hoodie.parquet.compression.codec' = 'snappy',
                  'hoodie.table.name' = 'ddl_orders',
                  'path' = 'file:///lake/ddl/orders',
                  'precombine.field' = 'ts',
                  'table.type' = 'MERGE_ON_READ',
                  'write.operation' = 'upsert'
                )""");
    }

    @Test
    void flinkParquetCopyUsesTheFilesystemConnectorWithUtcTimestamps() throws Exception {
        assertThat(statement(Dialect.FLINK, "orders_hive")).isEqualTo("""
                CREATE TABLE IF NOT EXISTS `ddl`.`orders_hive` (
                  `id` STRING NOT NULL,
                  `ts` TIMESTAMP(6) NOT NULL,
                  `amount` DOUBLE,
                  `qty` BIGINT,
                  `paid` BOOLEAN,
                  `day` DATE,
                  `dt` STRING NOT NULL
                )
                PARTITIONED BY (`dt`)
                WITH (
                  'connector' = 'filesystem',
                  'path' = 'file:///lake/ddl/orders_hive',
                  'format' = 'parquet',
                  'parquet.utc-timezone' = 'true'
                )""");
    }

    @Test
    void hiveParquetCopyIsTheExternalTableTheMetastoreGets() throws Exception {
        assertThat(statement(Dialect.HIVE, "orders_hive")).isEqualTo("""
                CREATE EXTERNAL TABLE IF NOT EXISTS `ddl`.`orders_hive` (
                  `id` string,
                  `ts` timestamp,
                  `amount` double,
                  `qty` bigint,
                  `paid` boolean,
                  `day` date
                )
                PARTITIONED BY (`dt` string)
                ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
                STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
                OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
                LOCATION 'file:///lake/ddl/orders_hive'""");
    }

    @Test
    void hiveHudiTablesDeclareMetaColumnsAndReadThroughHudisInputFormats() throws Exception {
        String orders = statement(Dialect.HIVE, "orders");
        assertThat(orders).startsWith("""
                CREATE EXTERNAL TABLE IF NOT EXISTS `ddl`.`orders` (
                  `_hoodie_commit_time` string,
                  `_hoodie_commit_seqno` string,
                  `_hoodie_record_key` string,
                  `_hoodie_partition_path` string,
                  `_hoodie_file_name` string,
                  `id` string,""")
                .contains("PARTITIONED BY (`dt` string)\n")
                .contains("STORED AS INPUTFORMAT '" + TableDdl.HUDI_REALTIME_INPUT + "'")
                .contains("LOCATION 'file:///lake/ddl/orders'")
                .contains("'type' = 'mor'", "'primaryKey' = 'id'", "'preCombineField' = 'ts'",
                        "'hoodie.datasource.write.hive_style_partitioning' = 'true'")
                // Flink writer options and the table name are no Hive table properties.
                .doesNotContain("compaction.", "write.operation", "hoodie.table.name");
        String errors = statement(Dialect.HIVE, "sluice_errors");
        assertThat(errors).contains("PARTITIONED BY (`dt` string, `stage` string)\n",
                        "STORED AS INPUTFORMAT '" + TableDdl.HUDI_INPUT + "'", "'type' = 'cow'",
                        "'primaryKey' = 'error_id'", "`source_partition` int,")
                .doesNotContain("preCombineField");
    }

    @Test
    void sparkUsesDataSourceTablesWithEveryColumn() throws Exception {
        assertThat(statement(Dialect.SPARK, "orders")).isEqualTo("""
                CREATE TABLE IF NOT EXISTS `ddl`.`orders` (
                  `id` string,
                  `ts` timestamp,
                  `amount` double,
                  `qty` bigint,
                  `paid` boolean,
                  `day` date,
                  `dt` string
                ) USING hudi
                PARTITIONED BY (`dt`)
                LOCATION 'file:///lake/ddl/orders'
                TBLPROPERTIES (
                  'type' = 'mor',
                  'primaryKey' = 'id',
                  'preCombineField' = 'ts',
                  'hoodie.datasource.write.hive_style_partitioning' = 'true',
                  'hoodie.index.bloom.fpp' = '0.01',
                  'hoodie.index.bloom.num_entries' = '10000',
                  'hoodie.parquet.compression.codec' = 'snappy'
                )""");
        assertThat(statement(Dialect.SPARK, "orders_hive"))
                .endsWith(") USING parquet\nPARTITIONED BY (`dt`)\nLOCATION 'file:///lake/ddl/orders_hive'");
    }

    @Test
    void everyDialectCreatesTheDatabaseFirstThenEveryTableTheJobWrites() throws Exception {
        for (Dialect dialect : Dialect.SQL) {
            List<String> statements = TableDdl.statements(job("file:///lake").targets(), dialect);
            assertThat(statements).hasSize(4);
            assertThat(statements.get(0)).isEqualTo("CREATE DATABASE IF NOT EXISTS `ddl`");
            assertThat(statements.subList(1, 4)).allMatch(s -> s.startsWith("CREATE "))
                    .anyMatch(s -> s.contains("`ddl`.`orders` ("))
                    .anyMatch(s -> s.contains("`ddl`.`orders_hive` ("))
                    .anyMatch(s -> s.contains("`ddl`.`sluice_errors` ("));
        }
    }

    @Test
    void configuredHudiOptionsAppearAndStorageSecretsDoNot() throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/pipelines/it-ddl.yaml"))
                .replace("        partition-fields: [dt]\n      - type: hive",
                        "        partition-fields: [dt]\n        options: { hoodie.cleaner.commits.retained: '10' }\n      - type: hive");
        EtlJob job = EtlJob.builder().pipeline(PipelineConfigLoader.parse(yaml, "test")).bootstrapServers("unused:1")
                .lakeRoot("s3a://bucket/lake").lakeStorage(LakeStorage.s3("http://127.0.0.1:1", "ACCESS", "SECRET"))
                .build();
        for (Dialect dialect : Dialect.SQL) {
            String all = String.join("\n", TableDdl.statements(job.targets(), dialect));
            assertThat(all).contains("'hoodie.cleaner.commits.retained' = '10'", "'s3a://bucket/lake/ddl/orders'")
                    .doesNotContain("SECRET", "ACCESS", "'hadoop.", "write.tasks", "bucket_assign.tasks");
        }
    }

    @Test
    void quotesInLiteralsAreEscapedPerDialect() throws Exception {
        TableTarget orders = target(job("file:///it's/lake"), "orders");
        assertThat(TableDdl.createTable(orders, Dialect.FLINK)).contains("'path' = 'file:///it''s/lake/ddl/orders'");
        assertThat(TableDdl.createTable(orders, Dialect.SPARK)).contains("LOCATION 'file:///it\\'s/lake/ddl/orders'");
    }

    @Test
    void kafkaSinksAreTopicsNotTablesAndGetNoStatement() throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/pipelines/it-ddl.yaml"))
                .replace("      - type: hive\n", "      - { type: kafka, topic: rt-orders, record-key: [id] }\n      - type: hive\n");
        EtlJob job = EtlJob.builder().pipeline(PipelineConfigLoader.parse(yaml, "test")).bootstrapServers("unused:1")
                .lakeRoot("file:///lake").build();
        assertThat(job.targets()).hasSize(4);
        for (Dialect dialect : Dialect.SQL) {
            assertThat(TableDdl.statements(job.targets(), dialect)).hasSize(4).noneMatch(s -> s.contains("rt-orders"));
        }
        // A JSON sink has no Avro schema either.
        assertThat(TableDdl.avroSchemas(job.targets())).isEqualTo("{ }");
        assertThatThrownBy(() -> TableDdl.statements(job.targets(), Dialect.AVRO))
                .hasMessageContaining("Avro is not an SQL dialect");
    }

    @Test
    void avroSchemasAreTheOnesTheKafkaSinksWriteKeyedBySubject() throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/pipelines/it-ddl.yaml"))
                .replace("      - type: hive\n", "      - { type: kafka, topic: rt-orders, format: avro }\n      - type: hive\n");
        EtlJob job = EtlJob.builder().pipeline(PipelineConfigLoader.parse(yaml, "test")).bootstrapServers("unused:1")
                .lakeRoot("file:///lake").build();
        KafkaTableSink sink = job.targets().stream().map(TableTarget::sink).filter(KafkaTableSink.class::isInstance)
                .map(KafkaTableSink.class::cast).findFirst().orElseThrow();

        JsonNode schemas = new ObjectMapper().readTree(TableDdl.avroSchemas(job.targets()));

        assertThat(schemas.fieldNames()).toIterable().containsExactly("rt-orders-value");
        assertThat(new Schema.Parser().parse(schemas.get("rt-orders-value").toString())).isEqualTo(sink.avroSchema());
    }

    private static String statement(Dialect dialect, String directory) throws Exception {
        return TableDdl.createTable(target(job("file:///lake"), directory), dialect);
    }

    private static TableTarget target(EtlJob job, String directory) {
        return job.targets().stream().filter(t -> t.path().endsWith("/" + directory)).findFirst().orElseThrow();
    }

    private static EtlJob job(String lakeRoot) throws Exception {
        return EtlJob.builder().pipeline(JobFixture.pipeline("it-ddl.yaml", "t")).bootstrapServers("unused:1")
                .lakeRoot(lakeRoot).build();
    }
}

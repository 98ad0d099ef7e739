package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.KafkaSinkConfig;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

class KafkaTableSinkTest {
    private static final RowType ROW_TYPE = (RowType) DataTypes.ROW(
            DataTypes.FIELD("id", DataTypes.STRING()), DataTypes.FIELD("n", DataTypes.BIGINT())).getLogicalType();

    @Test
    void writesToTheJobsClusterWithTransactionsThatOutliveACheckpoint() {
        KafkaTableSink sink = KafkaTableSink.builder().table("a.b").rowType(ROW_TYPE)
                .config(new KafkaSinkConfig("rt", List.of("id"), null, null, null)).bootstrapServers("k:9092").build();
        assertThat(sink.producerProperties()).containsEntry("bootstrap.servers", "k:9092")
                .containsEntry("transaction.timeout.ms", "900000");
    }

    @Test
    void configuredPropertiesWin() {
        KafkaTableSink sink = KafkaTableSink.builder().table("a.b").rowType(ROW_TYPE)
                .config(new KafkaSinkConfig("rt", List.of(), "json", null,
                        Map.of("bootstrap.servers", "warehouse:9092", "transaction.timeout.ms", "60000")))
                .bootstrapServers("k:9092").build();
        assertThat(sink.producerProperties()).containsEntry("bootstrap.servers", "warehouse:9092")
                .containsEntry("transaction.timeout.ms", "60000");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> KafkaTableSink.builder().table("a.b").rowType(ROW_TYPE)
                .config(new KafkaSinkConfig(" ", List.of("nope"), null, null, null)).parallelism(0).build())
                .hasMessage("Kafka sink of table a.b: topic is required; record-key column 'nope' is not a column of the table; "
                        + "no bootstrap servers: set the job's or properties.bootstrap.servers; parallelism must be at least 1, was 0");
    }

    @Test
    void avroValuesHaveTheSchemaOfTheTable() {
        KafkaTableSink json = KafkaTableSink.builder().table("a.b").rowType(ROW_TYPE)
                .config(new KafkaSinkConfig("rt", List.of(), null, null, null)).bootstrapServers("k:9092").build();
        assertThat(json.avroSchema()).isNull();
        KafkaTableSink avro = KafkaTableSink.builder().table("a.b").rowType(ROW_TYPE)
                .config(new KafkaSinkConfig("rt", List.of(), "avro", null, null)).bootstrapServers("k:9092").build();
        assertThat(avro.avroSchema().getFullName()).isEqualTo("a.b");
        assertThat(avro.avroSchema().getFields()).extracting(f -> f.name()).containsExactly("id", "n");
    }

    @Test
    void aTableAvroCannotDescribeIsRefusedWhenTheSinkIsBuilt() {
        RowType odd = (RowType) DataTypes.ROW(DataTypes.FIELD("user_id", DataTypes.STRING()),
                DataTypes.FIELD("tags", DataTypes.ARRAY(DataTypes.STRING()))).getLogicalType();
        assertThatThrownBy(() -> KafkaTableSink.builder().table("a.b").rowType(odd)
                .config(new KafkaSinkConfig("rt", List.of(), "avro", null, null)).bootstrapServers("k:9092").build())
                .hasMessage("Kafka sink of table a.b: format avro: column 'tags' of table a.b has type ARRAY<STRING>, "
                        + "which has no Avro form here");
        RowType badName = (RowType) DataTypes.ROW(DataTypes.FIELD("user-id", DataTypes.STRING())).getLogicalType();
        assertThatThrownBy(() -> KafkaTableSink.builder().table("a.b").rowType(badName)
                .config(new KafkaSinkConfig("rt", List.of(), "avro", null, null)).bootstrapServers("k:9092").build())
                .hasMessage("Kafka sink of table a.b: format avro: column 'user-id' of table a.b is not a valid Avro field "
                        + "name (letters, digits, _; not starting with a digit)");
        assertThatThrownBy(() -> KafkaTableSink.builder().table("a.b").rowType(ROW_TYPE)
                .config(new KafkaSinkConfig("rt", List.of(), "xml", null, null)).bootstrapServers("k:9092").build())
                .hasMessage("Kafka sink of table a.b: unknown format 'xml', expected one of json, avro");
    }
}

package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.PipelineConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.jobgraph.JobEdge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the writers run, read from the job graph {@link EtlJob} builds (a job vertex is one task: its
 * chained operators share a thread). The writers of a job's only data table take the ETL operator's rows
 * without a shuffle when the salt bounds nothing, and the ETL operator then has a task of its own, fed by
 * a forward exchange from the source; otherwise the ETL operator shares the source's task and every
 * writer has its own (upserts with Hudi's bucket index always: their rows go to their bucket's writer).
 */
class EtlJobGraphTest {
    private static final int PARALLELISM = 2;

    @TempDir
    Path lake;

    @Test
    void soleTableWithSaltAtLeastTheWritersIsWrittenInTheEtlTaskBehindTheSource() {
        JobGraph graph = graph(pipeline(table("app.events", 2, "hudi")));

        JobVertex etl = vertex(graph, "etl:");
        assertThat(etl.getName()).contains("hoodie_append_write: default_database.app_events")
                .doesNotContain("Source:");
        assertThat(etl.getInputs()).singleElement()
                .satisfies(edge -> assertThat(edge.getShipStrategyName()).isEqualTo("FORWARD"))
                .satisfies(edge -> assertThat(edge.getSource().getProducer().getName()).startsWith("Source: kafka:events"));
        assertThat(vertex(graph, "app_sluice_errors").getName()).doesNotContain("etl:");
    }

    @Test
    void soleHiveTableIsWrittenInTheEtlTaskToo() {
        JobVertex etl = vertex(graph(pipeline(table("app.events", 4, "hive"))), "etl:");

        assertThat(etl.getName()).contains("hive:app.events").doesNotContain("Source:");
    }

    @Test
    void soleTableWithSaltBelowTheWritersKeepsTheShuffle() {
        JobGraph graph = graph(pipeline(table("app.events", 1, "hudi")));

        assertThat(vertex(graph, "etl:").getName()).startsWith("Source: kafka:events").doesNotContain("hoodie");
        assertThat(vertex(graph, "hoodie_append_write: default_database.app_events").getInputs())
                .extracting(JobEdge::getShipStrategyName).containsExactly("CUSTOM");
    }

    @Test
    void severalTablesKeepEveryWriterOutOfTheEtlTask() {
        JobGraph graph = graph(pipeline(table("app.events", 4, "hudi") + table("app.audit", 4, "hudi")));

        assertThat(vertex(graph, "etl:").getName()).startsWith("Source: kafka:events").doesNotContain("hoodie");
        assertThat(vertex(graph, "hoodie_append_write: default_database.app_events").getName()).doesNotContain("etl:");
        assertThat(vertex(graph, "hoodie_append_write: default_database.app_audit").getName()).doesNotContain("etl:");
    }

    @Test
    void bucketIndexUpsertRowsCrossOneShuffleFromTheSourceTaskToTheirBucketsWriter() {
        JobGraph graph = graph(pipeline(table("app.events", 4, "hudi-bucket")));

        assertThat(vertex(graph, "etl:").getName()).startsWith("Source: kafka:events").doesNotContain("bucket_write");
        JobVertex writer = vertex(graph, "bucket_write: default_database.app_events");
        assertThat(writer.getName()).startsWith("row_data_to_hoodie_record");
        assertThat(writer.getInputs()).singleElement()
                .satisfies(edge -> assertThat(edge.getShipStrategyName()).isEqualTo("CUSTOM"))
                .satisfies(edge -> assertThat(edge.getSource().getProducer().getName()).contains("etl:"));
    }

    @Test
    void aWriterStallTimeoutBelowASecondIsRefused() {
        EtlJob.Builder builder = EtlJob.builder()
                .pipeline(PipelineConfigLoader.parse(pipeline(table("app.events", 1, "hudi")), "graph-test.yaml"))
                .bootstrapServers("127.0.0.1:9").lakeRoot(lake.toString())
                .writerStallTimeout(Duration.ofMillis(500));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writerStallTimeout must be at least 1 s (a normal wait for the next instant lasts a "
                        + "commit), was PT0.5S");
    }

    private JobGraph graph(String yaml) {
        EtlJob job = EtlJob.builder()
                .pipeline(PipelineConfigLoader.parse(yaml, "graph-test.yaml"))
                .bootstrapServers("127.0.0.1:9")
                .lakeRoot(lake.toString())
                .sinkParallelism(PARALLELISM)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(10_000);
        job.attachTo(env);
        return env.getStreamGraph().getJobGraph();
    }

    private static JobVertex vertex(JobGraph graph, String operator) {
        List<JobVertex> matching = StreamSupport.stream(graph.getVertices().spliterator(), false)
                .filter(v -> v.getName().contains(operator))
                .toList();
        assertThat(matching).as("tasks running %s", operator).hasSize(1);
        return matching.get(0);
    }

    private static String pipeline(String tables) {
        return """
                source: { topic: events, group-id: graph-test, start: earliest }
                tables:
                """ + tables;
    }

    private static String table(String name, int salt, String sink) {
        return """
                  - name: %s
                    parser: { type: json }
                    columns:
                      - { name: id, type: STRING, required: true }
                      - { name: dt, type: STRING, required: true }
                    salt: %d
                    sinks:
                      - %s
                """.formatted(name, salt, switch (sink) {
                    case "hudi" -> "{ type: hudi, operation: insert, record-key: [id] }";
                    case "hudi-bucket" -> "{ type: hudi, table-type: MERGE_ON_READ, operation: upsert, record-key: [id], "
                            + "partition-fields: [dt], options: { index.type: BUCKET, hoodie.bucket.index.num.buckets: '4' } }";
                    default -> "{ type: hive, partition-fields: [dt] }";
                });
    }
}

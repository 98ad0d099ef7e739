package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.PipelineConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the Hudi writers run, read from the job graph {@link EtlJob} builds (a job vertex is one task:
 * its chained operators share a thread): the writers of a job's only data table take the ETL operator's
 * rows without a shuffle when the salt bounds nothing; otherwise every writer has its own task.
 */
class EtlJobGraphTest {
    private static final int PARALLELISM = 2;

    @TempDir
    Path lake;

    @Test
    void soleTableWithSaltAtLeastTheWritersIsWrittenInTheEtlTask() {
        List<String> tasks = tasks(pipeline(table("app.events", 2)));

        assertThat(etlTask(tasks)).contains("hoodie_append_write: default_database.app_events");
        assertThat(tasks).filteredOn(t -> t.contains("app_sluice_errors")).singleElement()
                .asString().doesNotContain("etl:");
    }

    @Test
    void soleTableWithSaltBelowTheWritersKeepsTheShuffle() {
        List<String> tasks = tasks(pipeline(table("app.events", 1)));

        assertThat(etlTask(tasks)).doesNotContain("hoodie");
        assertThat(tasks).anyMatch(t -> t.contains("hoodie_append_write: default_database.app_events"));
    }

    @Test
    void severalTablesKeepEveryWriterOutOfTheEtlTask() {
        List<String> tasks = tasks(pipeline(table("app.events", 4) + table("app.audit", 4)));

        assertThat(etlTask(tasks)).doesNotContain("hoodie");
        assertThat(tasks).anyMatch(t -> t.contains("hoodie_append_write: default_database.app_events"))
                .anyMatch(t -> t.contains("hoodie_append_write: default_database.app_audit"));
    }

    private List<String> tasks(String yaml) {
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
        return StreamSupport.stream(env.getStreamGraph().getJobGraph().getVertices().spliterator(), false)
                .map(JobVertex::getName)
                .toList();
    }

    private static String etlTask(List<String> tasks) {
        return tasks.stream().filter(t -> t.contains("etl:")).findFirst().orElseThrow();
    }

    private static String pipeline(String tables) {
        return """
                source: { topic: events, group-id: graph-test, start: earliest }
                tables:
                """ + tables;
    }

    private static String table(String name, int salt) {
        return """
                  - name: %s
                    parser: { type: json }
                    columns:
                      - { name: id, type: STRING, required: true }
                    salt: %d
                    sinks:
                      - { type: hudi, operation: insert, record-key: [id] }
                """.formatted(name, salt);
    }
}

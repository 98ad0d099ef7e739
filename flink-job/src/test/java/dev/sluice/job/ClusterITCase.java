package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.infra.flink.FlinkCluster;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.job.runtime.FlinkRestClient;
import dev.sluice.job.testing.Orders;
import dev.sluice.job.testing.RawTopics;
import dev.sluice.job.testing.Tables;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The job jar on a real multi-process Flink cluster: a standalone session cluster of one JobManager and
 * two TaskManager JVMs, the jar submitted over the REST API by {@code sluice etl --jobmanager} (upload, then
 * run, as {@code flink run} does), records from a real broker. Mid-stream one TaskManager that runs the
 * job's tasks is killed with {@code kill -9} and a replacement started: the job restores from its last
 * checkpoint, and the tables hold every record exactly once by key, the error table every bad record,
 * and the SLA account adds up to what was sent.
 *
 * <p>The Hudi table upserts by id: Hudi 0.14.0's append path (operation insert) wrote 5,892 of 36,000 rows
 * twice in one of the first two runs of this test (a TaskManager kill during a checkpoint), an
 * exactly-once gap of that path on task failover (docs/lake.md); the Hive table still counts every row.
 */
class ClusterITCase {
    private static final int GOOD = 36_000;
    private static final int DROPPED = 2_000;
    private static final int BAD = 2_400;
    private static final int TOTAL = GOOD + DROPPED + BAD;
    private static final Pattern COUNTER = Pattern.compile("([^{}=,\\s]+)=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void jobJarRunsOnASessionClusterAndSurvivesAKilledTaskManager() throws Exception {
        String topic = "cluster-" + UUID.randomUUID();
        Path pipeline = dir.resolve("orders.yaml");
        Files.writeString(pipeline, Files.readString(Path.of("src/test/resources/pipelines/restart-orders.yaml"))
                .replace("${topic}", topic).replace("${operation}", "upsert"));
        List<byte[]> records = Orders.mix("o-", 0, GOOD, DROPPED, BAD, 13);
        String checkpoints = dir.resolve("checkpoints").toUri().toString();
        try (KafkaBroker broker = KafkaBrokers.start(dir.resolve("kafka"));
             RawTopics topics = new RawTopics(broker.bootstrapServers());
             FlinkCluster cluster = FlinkCluster.start(dir.resolve("flink"), 2, 2, Map.of())) {
            topics.create(topic, 2);
            String lakeRoot = dir.resolve("lake").toString();
            EtlJob job = EtlJob.builder().pipeline(PipelineConfigLoader.load(pipeline))
                    .bootstrapServers(broker.bootstrapServers()).lakeRoot(lakeRoot).build();
            FlinkRestClient rest = new FlinkRestClient(cluster.restAddress());

            Instant submitted = Instant.now();
            int exit = new CommandLine(new EtlCommand()).execute("--jobmanager", cluster.restAddress(),
                    "--job-jar", jobJar().toString(), "--pipeline", pipeline.toString(),
                    "--bootstrap-servers", broker.bootstrapServers(), "--lake-root", lakeRoot,
                    "--checkpoint-dir", checkpoints, "--checkpoint-interval", "PT2S", "--parallelism", "2");
            assertThat(exit).isZero();
            String id = runningJob(rest, job.name());
            topics.produce(topic, records.subList(0, TOTAL / 2), System.currentTimeMillis());
            await().atMost(Duration.ofMinutes(3)).until(() -> completedCheckpoints(rest, id) >= 2
                    && account(rest, id).getOrDefault(key(SlaMetrics.RECORDS_IN), 0L) > 0);
            System.out.printf("cluster: submitted, running and checkpointed in %.1f s%n",
                    Duration.between(submitted, Instant.now()).toMillis() / 1000.0);

            String victim = taskManagerRunning(rest, id, "etl:" + topic);
            long checkpointsBefore = completedCheckpoints(rest, id);
            Instant killed = Instant.now();
            cluster.killTaskManager(victim);
            cluster.startTaskManager();
            topics.produce(topic, records.subList(TOTAL / 2, TOTAL), System.currentTimeMillis());
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode stats = rest.get("jobs/" + id + "/checkpoints");
                return !stats.path("latest").path("restored").isMissingNode() && !stats.path("latest").path("restored").isNull()
                        && stats.path("counts").path("completed").asLong() > checkpointsBefore + 1
                        && "RUNNING".equals(rest.get("jobs/" + id).path("state").asText());
            });
            System.out.printf("cluster: TaskManager %s killed; job restored and checkpointing again %.1f s later%n",
                    victim, Duration.between(killed, Instant.now()).toMillis() / 1000.0);

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> account(rest, id).getOrDefault(key(SlaMetrics.RECORDS_IN), 0L) >= TOTAL);
            // Everything counted is committed with the next two completed checkpoints.
            long counted = completedCheckpoints(rest, id);
            await().atMost(Duration.ofMinutes(2)).until(() -> completedCheckpoints(rest, id) >= counted + 2);
            Map<String, Long> sla = account(rest, id);
            long in = sla.get(key(SlaMetrics.RECORDS_IN));
            long out = sla.get(key(SlaMetrics.RECORDS_OUT));
            long dropped = sla.get(key(SlaMetrics.RECORDS_DROPPED));
            long errored = sla.get(key(SlaMetrics.RECORDS_ERRORED));
            System.out.printf("cluster: in %d = out %d + dropped %d + errored %d%n", in, out, dropped, errored);
            assertThat(List.of(in, out, dropped, errored)).containsExactly((long) TOTAL, (long) GOOD, (long) DROPPED, (long) BAD);

            Tables.assertEachIdOnce("cluster", job.targets().subList(0, 2), GOOD);
            assertThat(Tables.errorCodes(job)).containsOnly(Map.entry("INVALID_JSON", (long) BAD / 3),
                    Map.entry("TYPE_CONVERSION", (long) BAD / 3), Map.entry("MISSING_REQUIRED_FIELD", (long) BAD / 3));
            rest.post("jobs/" + id + "/stop", Map.of("drain", false, "targetDirectory", checkpoints + "/savepoints"));
        }
    }

    /** The job jar the build wrote beside the plain jar (integration tests run after {@code package}). */
    private static Path jobJar() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(Path.of("target"), "sluice-flink-job-*.jar")) {
            found.forEach(jars::add);
        }
        assertThat(jars).as("target/sluice-flink-job-*.jar (built by the package phase)").hasSize(1);
        return jars.get(0).toAbsolutePath();
    }

    private static String runningJob(FlinkRestClient rest, String name) {
        String[] id = new String[1];
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            for (JsonNode job : rest.get("jobs/overview").path("jobs")) {
                if (name.equals(job.path("name").asText()) && "RUNNING".equals(job.path("state").asText())) {
                    id[0] = job.path("jid").asText();
                    return true;
                }
            }
            return false;
        });
        return id[0];
    }

    /** A TaskManager that runs a subtask of the vertex whose name starts with {@code vertexName}. */
    private static String taskManagerRunning(FlinkRestClient rest, String job, String vertexName) throws Exception {
        for (JsonNode vertex : rest.get("jobs/" + job).path("vertices")) {
            if (vertex.path("name").asText().contains(vertexName)) {
                JsonNode managers = rest.get("jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
                        .path("taskmanagers");
                return managers.get(0).path("taskmanager-id").asText();
            }
        }
        throw new AssertionError("job " + job + " has no vertex named " + vertexName);
    }

    private static long completedCheckpoints(FlinkRestClient rest, String job) throws Exception {
        return rest.get("jobs/" + job + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** The SLA accumulator as the REST API shows it (its {@code toString}), parsed back. */
    private static Map<String, Long> account(FlinkRestClient rest, String job) throws Exception {
        Map<String, Long> values = new HashMap<>();
        for (JsonNode accumulator : rest.get("jobs/" + job + "/accumulators").path("user-task-accumulators")) {
            if (SlaMetrics.ACCUMULATOR.equals(accumulator.path("name").asText())) {
                Matcher m = COUNTER.matcher(accumulator.path("value").asText());
                while (m.find()) {
                    values.put(m.group(1), Long.parseLong(m.group(2)));
                }
            }
        }
        return values;
    }

    private static String key(String counter) {
        return SlaMetrics.key(SlaMetrics.JOB_TABLE, counter);
    }
}

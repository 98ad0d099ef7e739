package dev.sluice.job.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.runtime.LocalFlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real parts for job-level integration tests, in one place: a KRaft broker, a Flink MiniCluster with
 * filesystem checkpoints, a producer that writes raw records the way the gateway does (value
 * unchanged, Sluice headers), and the job's SLA account.
 *
 * <p>Usage: one per test class, in a static {@code @RegisterExtension} field (starting it is the slow
 * part); give each test its own topic and lake directory. It starts before the class's {@code @BeforeAll}
 * methods and closes after its {@code @AfterAll} methods, so services those start under {@link #dir()}
 * are up while the cluster is.
 */
public final class JobFixture implements BeforeAllCallback, AfterAllCallback {
    private final int slots;
    private final Duration checkpointInterval;
    private final Consumer<Configuration> clusterConfig;
    private Path dir;
    private KafkaBroker broker;
    private LocalFlink flink;
    private RawTopics topics;

    private JobFixture(int slots, Duration checkpointInterval, Consumer<Configuration> clusterConfig) {
        this.slots = slots;
        this.checkpointInterval = checkpointInterval;
        this.clusterConfig = clusterConfig;
    }

    /** A broker and a cluster of {@code slots} slots checkpointing every {@code checkpointInterval}. */
    public static JobFixture perClass(int slots, Duration checkpointInterval) {
        return perClass(slots, checkpointInterval, conf -> { });
    }

    /** As {@link #perClass(int, Duration)}; {@code clusterConfig} adds e.g. metric reporters. */
    public static JobFixture perClass(int slots, Duration checkpointInterval, Consumer<Configuration> clusterConfig) {
        return new JobFixture(slots, checkpointInterval, clusterConfig);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("sluice-" + context.getRequiredTestClass().getSimpleName() + "-");
        Configuration conf = new Configuration();
        clusterConfig.accept(conf);
        // JUnit calls afterAll even when this fails half-way: it closes what did start.
        broker = KafkaBrokers.start(dir.resolve("kafka"));
        flink = LocalFlink.start(slots, 0, dir.resolve("checkpoints"), checkpointInterval, conf);
        topics = new RawTopics(broker.bootstrapServers());
    }

    /**
     * The class's temp dir, holding the broker, checkpoints and lakes; deleted only once the cluster is
     * down, since a cancelled job's Hudi coordinator may still write for a moment.
     */
    public Path dir() {
        return dir;
    }

    public LocalFlink flink() {
        return flink;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates the topic and waits until every partition has a leader, so the first writes are not refused. */
    public void createTopic(String topic, int partitions) throws Exception {
        topics.create(topic, partitions);
    }

    /** Writes raw lines round-robin over the topic's partitions, as the gateway would, and waits for the acks. */
    public void produce(String topic, List<byte[]> values, long receivedAt) throws Exception {
        topics.produce(topic, values, receivedAt);
    }

    /**
     * Loads a pipeline YAML from the test resources with the topic replaced, so each test has its own
     * topic and consumer group.
     */
    public static PipelineConfig pipeline(String resource, String topic) throws Exception {
        return pipeline(resource, Map.of("topic", topic));
    }

    /** Loads a pipeline YAML from the test resources with each {@code ${name}} replaced by its value. */
    public static PipelineConfig pipeline(String resource, Map<String, String> variables) throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/pipelines", resource));
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            yaml = yaml.replace("${" + variable.getKey() + "}", variable.getValue());
        }
        return PipelineConfigLoader.parse(yaml, resource);
    }

    /** An {@link EtlJob} for {@code pipeline} writing under this fixture's {@code lake/<name>}. */
    public EtlJob.Builder job(PipelineConfig pipeline, String lakeName) {
        return EtlJob.builder().pipeline(pipeline).bootstrapServers(broker.bootstrapServers())
                .lakeRoot(dir.resolve("lake").resolve(lakeName).toString());
    }

    /** Submits the job at {@code parallelism}, restoring from {@code savepoint} when not null. */
    public JobID submit(EtlJob job, int parallelism, String savepoint) throws Exception {
        StreamExecutionEnvironment env = flink.newEnvironment(parallelism);
        job.attachTo(env);
        return flink.submit(env, job.name(), savepoint);
    }

    /** The job's SLA counters, {@code table|counter → value} summed over subtasks. */
    @SuppressWarnings("unchecked")
    public Map<String, Long> sla(JobID job) throws Exception {
        Object value = flink.accumulators(job).get(SlaMetrics.ACCUMULATOR);
        return value == null ? Map.of() : (Map<String, Long>) value;
    }

    /** One job-level counter, 0 when absent. */
    public long jobCounter(JobID job, String counter) throws Exception {
        return sla(job).getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, counter), 0L);
    }

    /**
     * The end check of the recovery tests: waits until the job counted {@code records} in, stops it with
     * a savepoint, then checks that {@code table} holds every id once and the account says all went out.
     *
     * @return the table's rows, for further checks
     */
    public List<Row> stopAndCheckEachIdOnce(JobID job, TableTarget table, long records) throws Exception {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> jobCounter(job, SlaMetrics.RECORDS_IN) >= records);
        flink.stopWithSavepoint(job);
        List<Row> rows = table.readAll();
        assertThat(rows).hasSize((int) records);
        assertThat(rows.stream().map(r -> r.getField("id")).distinct().count()).as("distinct ids").isEqualTo(records);
        assertThat(sla(job)).containsEntry(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN), records)
                .containsEntry(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_OUT), records);
        return rows;
    }

    /** For {@code finally} blocks: stops the job with a savepoint unless it already ended. */
    public void stopIfRunning(JobID job) throws Exception {
        if (!flink.status(job).isGloballyTerminalState()) {
            flink.stopWithSavepoint(job);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (topics != null) {
                topics.close();
            }
            if (flink != null) {
                flink.close();
            }
        } finally {
            try {
                if (broker != null) {
                    broker.close();
                }
            } finally {
                if (dir != null) {
                    FileUtils.deleteDirectory(dir.toFile());
                }
            }
        }
    }
}

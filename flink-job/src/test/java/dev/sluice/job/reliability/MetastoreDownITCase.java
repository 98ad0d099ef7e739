package dev.sluice.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.infra.metastore.HiveMetastore;
import dev.sluice.infra.metastore.HiveMetastores;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.load.HiveMetastoreClient;
import dev.sluice.job.sla.RecordingReporter;
import dev.sluice.job.testing.JobFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Hive Metastore down at partition-commit time for two checkpoints, then back: the job keeps
 * running (no restart: the registrations wait for the metastore), the partitions created during the
 * outage are registered once it is back, and reading the table through the metastore gives every row
 * exactly once (no file committed twice).
 */
class MetastoreDownITCase {
    private static final int PER_DAY = 300;

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(2, Duration.ofSeconds(2), RecordingReporter::configure);

    static HiveMetastore metastore;

    @BeforeAll
    static void start() throws Exception {
        metastore = HiveMetastores.start(fixture.dir().resolve("metastore"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (metastore != null) {
            metastore.close();
        }
    }

    @Test
    void partitionsCommittedWhileTheMetastoreIsDownAreRegisteredWhenItIsBack() throws Exception {
        String topic = "hms-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 1);
        EtlJob job = fixture.job(JobFixture.pipeline("hive-days.yaml", topic), topic)
                .metastoreUri(metastore.thriftUri()).build();
        TableTarget events = job.targets().get(0);
        JobID id = fixture.submit(job, 1, null);
        try {
            produce(topic, "2026-11-21");
            await().atMost(Duration.ofMinutes(2)).until(() -> partitions().contains("dt=2026-11-21"));

            metastore.stop();
            Instant down = Instant.now();
            produce(topic, "2026-11-22");
            produce(topic, "2026-11-23");
            long checkpoints = RecordingReporter.completedCheckpoints(id);
            // Two checkpoints complete, and commit their files, while the metastore is away.
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> RecordingReporter.completedCheckpoints(id) >= checkpoints + 2);
            assertThat(fixture.flink().status(id)).isEqualTo(JobStatus.RUNNING);

            metastore.start();
            Instant back = Instant.now();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                    partitions().containsAll(List.of("dt=2026-11-21", "dt=2026-11-22", "dt=2026-11-23")));
            Instant registered = Instant.now();
            System.out.printf("metastore down %.1f s; the partitions of the outage registered %.1f s after it was back%n",
                    Duration.between(down, back).toMillis() / 1000.0,
                    Duration.between(back, registered).toMillis() / 1000.0);

            fixture.stopAndCheckEachIdOnce(id, events, 3L * PER_DAY);
        } finally {
            fixture.stopIfRunning(id);
        }
    }

    private static List<String> partitions() {
        try (HiveMetastoreClient client = HiveMetastoreClient.connect(metastore.thriftUri())) {
            return client.partitionNames("hms", "events");
        } catch (Exception notYet) {
            return List.of();
        }
    }

    private static void produce(String topic, String day) throws Exception {
        List<byte[]> lines = new ArrayList<>(PER_DAY);
        for (int i = 0; i < PER_DAY; i++) {
            lines.add(("{\"id\":\"" + day + "-" + i + "\",\"dt\":\"" + day + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        fixture.produce(topic, lines, System.currentTimeMillis());
    }
}

package dev.sluice.job.reliability;

import static org.awaitility.Awaitility.await;

import dev.sluice.infra.s3.S3Server;
import dev.sluice.infra.s3.S3Servers;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.load.LakeStorage;
import dev.sluice.job.testing.JobFixture;
import dev.sluice.job.testing.Tables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * The S3 endpoint (S3Proxy) down mid-write, then back: the Hudi table lives on {@code s3a://}; after its
 * first commit the endpoint is stopped for several checkpoint intervals while records keep arriving.
 * Whether the S3A client's retries carry the writers and Hudi's coordinator over the outage or the job
 * fails over, once the endpoint is back the job must commit again, and the table must hold every record
 * exactly once with the account exact.
 */
class S3DownITCase {
    private static final int BATCH = 300;
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(2, Duration.ofSeconds(2));

    static S3Server s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Servers.start(fixture.dir().resolve("s3"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void theJobRecoversExactlyAfterTheObjectStoreWasDownMidWrite() throws Exception {
        String topic = "s3down-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 1);
        Path bucket = s3.createBucket("lake");
        EtlJob job = EtlJob.builder().pipeline(JobFixture.pipeline("sla-orders.yaml", topic))
                .bootstrapServers(fixture.bootstrapServers()).lakeRoot("s3a://lake/" + topic)
                .lakeStorage(LakeStorage.s3(s3.endpoint(), s3.accessKey(), s3.secretKey())).build();
        TableTarget orders = job.targets().get(0);
        Path timeline = bucket.resolve(topic).resolve("sla").resolve("orders").resolve(".hoodie");
        JobID id = fixture.submit(job, 1, null);
        try {
            produce(topic, 0);
            await().atMost(Duration.ofMinutes(2)).until(() -> Tables.hudiCommits(timeline) >= 1);

            s3.stop();
            Instant down = Instant.now();
            try {
                produce(topic, BATCH);
                // Down across several checkpoint intervals while the new rows are being written.
                Thread.sleep(OUTAGE.toMillis());
            } finally {
                s3.start();
            }
            Instant back = Instant.now();
            long commitsBefore = Tables.hudiCommits(timeline);
            await().atMost(Duration.ofMinutes(3)).until(() -> fixture.flink().status(id) == JobStatus.RUNNING
                    && Tables.hudiCommits(timeline) > commitsBefore);
            Instant resumed = Instant.now();
            System.out.printf("s3 down %.1f s; committing again %.1f s after the endpoint was back%n",
                    Duration.between(down, back).toMillis() / 1000.0,
                    Duration.between(back, resumed).toMillis() / 1000.0);

            fixture.stopAndCheckEachIdOnce(id, orders, 2L * BATCH);
        } finally {
            fixture.stopIfRunning(id);
        }
    }

    private static void produce(String topic, int from) throws Exception {
        List<byte[]> lines = new ArrayList<>(BATCH);
        for (int i = from; i < from + BATCH; i++) {
            lines.add(("{\"id\":\"o-" + i + "\",\"ts\":\"2026-11-23T10:00:00Z\",\"amount\":" + i + "}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        fixture.produce(topic, lines, System.currentTimeMillis());
    }
}

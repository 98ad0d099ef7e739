package dev.sluice.demo.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.demo.IngestClient;
import dev.sluice.demo.LocalStack;
import dev.sluice.infra.process.Ports;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker killed ({@code kill -9}) and restarted under load, end to end on real parts: a client keeps
 * posting batches to the gateway and, as documented, re-sends a batch answered 503 until it is
 * acknowledged; the ETL job keeps running. Afterwards every acknowledged event is a table row exactly
 * once by key (re-sends are at-least-once into Kafka; the upsert by key makes the table exact), no row
 * exists that was never posted, and the job's account balances.
 */
class BrokerKillITCase {
    private static final String API_KEY = "sk-broker-kill-test";
    private static final int BATCHES = 40;
    private static final int BATCH = 50;
    private static final int KILL_AT = 10;
    private static final Duration OUTAGE = Duration.ofSeconds(6);
    /** Longest the broker stays down waiting for the client to see a 503 (the gateway's ack timeout is shorter). */
    private static final Duration MAX_OUTAGE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedEventLandsExactlyOnceAcrossABrokerKill() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        try (LocalStack stack = LocalStack.start(dataDir, repo.resolve("ingest-gateway/target/quarkus-app/quarkus-run.jar"),
                Ports.free(), API_KEY, 2, Duration.ofSeconds(2), false, step -> { })) {
            EtlJob job = EtlJob.builder()
                    .pipeline(PipelineConfigLoader.load(Path.of("src/test/resources/pipelines/e2e-app-logs.yaml")))
                    .bootstrapServers(stack.broker().bootstrapServers())
                    .lakeRoot(dataDir.resolve("lake").toString())
                    .build();
            JobID id = stack.submit(job);
            TableTarget table = job.targets().get(0);
            IngestClient client = new IngestClient(stack.gateway().baseUrl(), API_KEY);

            Set<String> acknowledged = new TreeSet<>();
            int resends = 0;
            Instant restarted = null;
            Instant firstAckAfterRestart = null;
            for (int b = 0; b < BATCHES; b++) {
                if (b == KILL_AT) {
                    stack.broker().kill();
                    AtomicReference<Instant> back = new AtomicReference<>();
                    CountDownLatch refused = new CountDownLatch(1);
                    // The outage runs while the client keeps posting: restart from another thread, once the
                    // client has been refused. A fixed outage raced the gateway's ack timeout: a post sent
                    // just before the restart was acknowledged after it, and no 503 was ever seen.
                    Thread restarter = new Thread(() -> {
                        sleep(OUTAGE);
                        try {
                            refused.await(MAX_OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        stack.broker().start();
                        back.set(Instant.now());
                    }, "broker-restart");
                    restarter.start();
                    resends += postUntilAcknowledged(client, b, acknowledged, refused);
                    restarter.join(Duration.ofMinutes(2).toMillis());
                    restarted = back.get();
                    firstAckAfterRestart = Instant.now();
                } else {
                    resends += postUntilAcknowledged(client, b, acknowledged, new CountDownLatch(0));
                }
            }
            assertThat(restarted).as("broker restarted").isNotNull();
            assertThat(resends).as("the outage was seen by the client as 503s").isPositive();

            Instant drainStart = Instant.now();
            List<Row> rows = new ArrayList<>();
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                rows.clear();
                rows.addAll(table.readAll());
                return rows.size() >= acknowledged.size();
            });
            Instant complete = Instant.now();
            System.out.printf("broker kill: %d resends; gateway acknowledged again %.1f s after the broker restarted; "
                    + "all %d acknowledged events in the table %.1f s after the broker restarted (%.1f s after the last post)%n",
                    resends, Math.max(0, Duration.between(restarted, firstAckAfterRestart).toMillis() / 1000.0),
                    acknowledged.size(), Duration.between(restarted, complete).toMillis() / 1000.0,
                    Duration.between(drainStart, complete).toMillis() / 1000.0);

            List<String> keys = rows.stream().map(r -> (String) r.getField("event_id")).toList();
            assertThat(keys).doesNotHaveDuplicates();
            assertThat(new TreeSet<>(keys)).isEqualTo(acknowledged);
            // Accumulators travel with TaskManager heartbeats: they trail the table by a few seconds.
            await().atMost(Duration.ofSeconds(30)).until(() -> sla(stack, id)
                    .getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN), 0L) >= acknowledged.size());
            Map<String, Long> sla = sla(stack, id);
            long in = sla.getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN), 0L);
            assertThat(in).isEqualTo(sla.getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_OUT), 0L)
                    + sla.getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_DROPPED), 0L)
                    + sla.getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_ERRORED), 0L));
        }
    }

    /**
     * Posts batch {@code b}, re-sending it after each 503 (as a log shipper must), counting {@code refused}
     * down at each; returns the re-sends.
     */
    private static int postUntilAcknowledged(IngestClient client, int b, Set<String> acknowledged,
                                             CountDownLatch refused) throws Exception {
        List<String> lines = IntStream.range(b * BATCH, (b + 1) * BATCH).mapToObj(BrokerKillITCase::event).toList();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        int resends = 0;
        while (true) {
            IngestClient.Result result = client.post("app-logs", "application/x-ndjson", lines);
            if (result.status() == 200) {
                assertThat(result.accepted()).isEqualTo(BATCH);
                acknowledged.addAll(lines.stream().map(l -> l.substring(13, l.indexOf('"', 13))).toList());
                return resends;
            }
            assertThat(result.status()).as("only 503 is retryable here").isEqualTo(503);
            assertThat(Instant.now()).as("batch %d acknowledged within 2 minutes", b).isBefore(deadline);
            resends++;
            refused.countDown();
            Thread.sleep(1000);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> sla(LocalStack stack, JobID id) throws Exception {
        Object value = stack.flink().accumulators(id).get(SlaMetrics.ACCUMULATOR);
        return value == null ? Map.of() : (Map<String, Long>) value;
    }

    private static String event(int i) {
        return "{\"event_id\":\"k-" + i + "\",\"ts\":\"2026-11-23T10:00:00Z\",\"level\":\"INFO\",\"msg\":\"m\","
                + "\"latency_ms\":" + i + ",\"user\":{\"id\":" + i + "},\"dt\":\"2026-11-23\"}";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.error.ErrorTable;
import dev.sluice.job.testing.JobFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing lost, nothing counted twice across a failover: 100,000 records with a known mix of good,
 * to-drop and bad go through the job; after the first Hudi commit the TaskManager is killed mid-stream;
 * the job restores from its last checkpoint and finishes. Table rows, error rows and the SLA account
 * must then be exact.
 */
class FailoverITCase {
    private static final int GOOD = 90_000;
    private static final int DROPPED = 5_000;
    private static final int BAD = 5_000;
    private static final int TOTAL = GOOD + DROPPED + BAD;

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(4, Duration.ofSeconds(1));

    @Test
    void killedTaskManagerLosesAndDuplicatesNothing() throws Exception {
        String topic = "failover-" + UUID.randomUUID();
        fixture.createTopic(topic, 2);
        PipelineConfig pipeline = JobFixture.pipeline("sla-orders.yaml", topic);
        EtlJob job = fixture.job(pipeline, "failover").build();
        TableTarget orders = job.targets().get(0);
        TableTarget errors = job.targets().stream().filter(t -> t.name().endsWith("." + ErrorTable.TABLE_SUFFIX))
                .findFirst().orElseThrow();

        List<byte[]> records = corpus();
        int half = TOTAL / 2;
        JobID id = fixture.submit(job, 2, null);
        try {
            fixture.produce(topic, records.subList(0, half), System.currentTimeMillis());
            Path timeline = Path.of(java.net.URI.create(orders.path())).resolve(".hoodie");
            await().atMost(Duration.ofMinutes(3)).until(() -> completedCommits(timeline) >= 1);

            Instant killed = Instant.now();
            fixture.flink().killTaskManager();
            fixture.produce(topic, records.subList(half, TOTAL), System.currentTimeMillis());
            await().atMost(Duration.ofMinutes(2)).until(() -> fixture.flink().status(id) == JobStatus.RUNNING
                    && completedCommits(timeline) >= 2);
            System.out.printf("failover: job committed again %.1f s after the TaskManager was killed%n",
                    Duration.between(killed, Instant.now()).toMillis() / 1000.0);

            // The account is cheap to poll; the tables are read once, after the savepoint's final commit.
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> fixture.jobCounter(id, SlaMetrics.RECORDS_IN) >= TOTAL);
            String savepoint = fixture.flink().stopWithSavepoint(id);
            assertThat(savepoint).isNotBlank();
            Map<String, Long> sla = fixture.sla(id);
            long in = sla.get(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN));
            long out = sla.get(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_OUT));
            long dropped = sla.get(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_DROPPED));
            long errored = sla.get(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_ERRORED));
            System.out.printf("failover: in %d = out %d + dropped %d + errored %d%n", in, out, dropped, errored);
            assertThat(in).isEqualTo(TOTAL);
            assertThat(out).isEqualTo(GOOD);
            assertThat(dropped).isEqualTo(DROPPED);
            assertThat(errored).isEqualTo(BAD);
            assertThat(in).isEqualTo(out + dropped + errored);
            assertThat(sla.get(SlaMetrics.key("sla.orders", SlaMetrics.RECORDS_OUT))).isEqualTo(GOOD);
            // Error codes and commits are operator state too: exact after the failover, and the commits
            // before and after the kill both counted.
            assertThat(sla).containsEntry(SlaMetrics.key("sla.orders", SlaMetrics.erroredByCode("INVALID_JSON")), 2_000L)
                    .containsEntry(SlaMetrics.key("sla.orders", SlaMetrics.erroredByCode("TYPE_CONVERSION")), 2_000L)
                    .containsEntry(SlaMetrics.key("sla.orders", SlaMetrics.erroredByCode("MISSING_REQUIRED_FIELD")), 1_000L);
            assertThat(sla.get(SlaMetrics.key("sla.orders", SlaMetrics.COMMITS))).isGreaterThanOrEqualTo(2L);

            List<Row> rows = orders.readAll();
            Set<Object> ids = rows.stream().map(r -> r.getField("id")).collect(Collectors.toSet());
            assertThat(rows).hasSize(GOOD);
            assertThat(ids).hasSize(GOOD);
            Map<Object, Long> codes = errors.readAll().stream()
                    .collect(Collectors.groupingBy(r -> r.getField("error_code"), Collectors.counting()));
            assertThat(codes).containsOnly(
                    Map.entry("INVALID_JSON", 2_000L), Map.entry("TYPE_CONVERSION", 2_000L),
                    Map.entry("MISSING_REQUIRED_FIELD", 1_000L));
        } finally {
            if (!fixture.flink().status(id).isGloballyTerminalState()) {
                fixture.flink().stopWithSavepoint(id);
            }
        }
    }

    /** 90,000 good orders (two days), 5,000 health checks, 5,000 bad lines of three kinds, shuffled. */
    private static List<byte[]> corpus() {
        List<String> lines = new ArrayList<>(TOTAL);
        for (int i = 0; i < GOOD; i++) {
            String day = i % 2 == 0 ? "2026-11-22" : "2026-11-23";
            lines.add("{\"id\":\"o-" + i + "\",\"ts\":\"" + day + "T10:" + String.format("%02d:%02d", (i / 60) % 60, i % 60)
                    + "Z\",\"amount\":" + (i % 1000) / 10.0 + ",\"note\":\"n" + i + "\"}");
        }
        for (int i = 0; i < DROPPED; i++) {
            lines.add("{\"healthcheck\":true,\"probe\":" + i + "}");
        }
        for (int i = 0; i < 2_000; i++) {
            lines.add("{\"id\":\"bad-json-" + i + "\",\"ts\":");
        }
        for (int i = 0; i < 2_000; i++) {
            lines.add("{\"id\":\"bad-amount-" + i + "\",\"ts\":\"2026-11-23T11:00:00Z\",\"amount\":\"lots\"}");
        }
        for (int i = 0; i < 1_000; i++) {
            lines.add("{\"ts\":\"2026-11-23T12:00:00Z\",\"amount\":1.5,\"note\":\"no id " + i + "\"}");
        }
        Collections.shuffle(lines, new Random(7));
        return lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static long completedCommits(Path timeline) throws Exception {
        if (!Files.isDirectory(timeline)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(timeline)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".commit")).count();
        }
    }
}

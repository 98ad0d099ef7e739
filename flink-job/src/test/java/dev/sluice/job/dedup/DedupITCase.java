package dev.sluice.job.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.testing.JobFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real-time dedup on a real broker and MiniCluster ({@code pipelines/it-dedup.yaml}: Parquet files, which
 * keep every row written, so a duplicate that got through would show): each id lands once and the SLA
 * account is exact, across a killed TaskManager and across a rescale from a savepoint, with duplicates of
 * rows written before the failure or the rescale arriving after it.
 */
class DedupITCase {
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final String TABLE = "dedup.events";
    private static final String DUPLICATES = SlaMetrics.RECORDS_DROPPED + "_duplicate";

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(4, Duration.ofSeconds(1));

    /** What has been produced so far. */
    private static final class Expected {
        long good;
        long healthchecks;
        long broken;
        int ids;

        long in() {
            return good + healthchecks + broken;
        }

        long duplicates() {
            return good - ids;
        }
    }

    @Test
    void duplicatesStayDroppedAcrossAKilledTaskManager() throws Exception {
        String topic = "dedup-failover-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 2);
        EtlJob job = fixture.job(JobFixture.pipeline("it-dedup.yaml", topic), topic).build();
        Expected expected = new Expected();

        JobID id = fixture.submit(job, 2, null);
        try {
            // 10,000 ids, half of them twice, 100 health checks, 100 broken lines.
            produce(topic, expected, 0, 10_000, 5_000, 100, 1);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .until(() -> fixture.jobCounter(id, SlaMetrics.RECORDS_IN) >= expected.in());
            fixture.flink().killTaskManager();
            // Every id of before the kill again, and 5,000 new ones.
            produce(topic, expected, 0, 15_000, 10_000, 100, 2);
            expected.ids = 15_000;
            awaitDecided(id, expected);
            assertThat(fixture.flink().status(id)).isEqualTo(JobStatus.RUNNING);
            fixture.flink().stopWithSavepoint(id);
            assertAccount(fixture.sla(id), expected);
        } finally {
            fixture.stopIfRunning(id);
        }
        assertEachIdOnce(job, expected.ids);
    }

    @Test
    void duplicatesStayDroppedAcrossARescaleFromOneToTwo() throws Exception {
        String topic = "dedup-rescale-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 2);
        EtlJob job = fixture.job(JobFixture.pipeline("it-dedup.yaml", topic), topic).build();
        Expected expected = new Expected();

        String savepoint;
        JobID first = fixture.submit(job, 1, null);
        try {
            produce(topic, expected, 0, 4_000, 2_000, 50, 3);
            expected.ids = 4_000;
            awaitDecided(first, expected);
            savepoint = fixture.flink().stopWithSavepoint(first);
            assertAccount(fixture.sla(first), expected);
        } finally {
            if (!fixture.flink().status(first).isGloballyTerminalState()) {
                fixture.flink().stopWithSavepoint(first);
            }
        }

        JobID second = fixture.submit(job, 2, savepoint);
        try {
            // The 4,000 ids again, now spread over two dedup subtasks, and 2,000 new ones.
            produce(topic, expected, 0, 6_000, 6_000, 50, 4);
            expected.ids = 6_000;
            awaitDecided(second, expected);
            fixture.flink().stopWithSavepoint(second);
            assertAccount(fixture.sla(second), expected);
        } finally {
            if (!fixture.flink().status(second).isGloballyTerminalState()) {
                fixture.flink().stopWithSavepoint(second);
            }
        }
        assertEachIdOnce(job, expected.ids);
    }

    /**
     * Produces ids {@code [from, to)} once each plus {@code repeats} of them ({@code from, from+1, ...})
     * once more, with health checks and broken lines, shuffled.
     */
    private static void produce(String topic, Expected expected, int from, int to, int repeats, int noise, long seed)
            throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(event(i, seed));
        }
        for (int i = from; i < from + repeats; i++) {
            lines.add(event(i, seed * 10));
        }
        for (int i = 0; i < noise; i++) {
            lines.add("{\"healthcheck\":true,\"probe\":" + i + "}");
            lines.add("{\"id\":\"broken-" + i + "\",\"ts\":");
        }
        Collections.shuffle(lines, new Random(seed));
        fixture.produce(topic, lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList(),
                System.currentTimeMillis());
        expected.good += (to - from) + repeats;
        expected.healthchecks += noise;
        expected.broken += noise;
    }

    private static String event(int id, long n) {
        return "{\"id\":\"e-" + id + "\",\"ts\":\"2026-11-23T10:00:00Z\",\"n\":" + n + "}";
    }

    /** Waits until the dedup stage has decided every good line produced so far. */
    private static void awaitDecided(JobID id, Expected expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Long> sla = fixture.sla(id);
            return counter(sla, TABLE, SlaMetrics.RECORDS_OUT) + counter(sla, TABLE, SlaMetrics.RECORDS_DROPPED)
                    >= expected.good + expected.healthchecks;
        });
    }

    private static void assertAccount(Map<String, Long> sla, Expected expected) {
        // The table: every line counted once; out = distinct ids, dropped = duplicates + health checks.
        assertThat(counter(sla, TABLE, SlaMetrics.RECORDS_IN)).isEqualTo(expected.in());
        assertThat(counter(sla, TABLE, SlaMetrics.RECORDS_OUT)).isEqualTo(expected.ids);
        assertThat(counter(sla, TABLE, SlaMetrics.RECORDS_DROPPED)).isEqualTo(expected.duplicates() + expected.healthchecks);
        assertThat(counter(sla, TABLE, SlaMetrics.RECORDS_ERRORED)).isEqualTo(expected.broken);
        assertThat(counter(sla, SlaMetrics.JOB_TABLE, DUPLICATES)).isEqualTo(expected.duplicates());
        // The job: each record's outcome at the ETL stage, still balanced.
        long in = counter(sla, SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN);
        assertThat(in).isEqualTo(expected.in())
                .isEqualTo(counter(sla, SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_OUT)
                        + counter(sla, SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_DROPPED)
                        + counter(sla, SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_ERRORED));
    }

    private static void assertEachIdOnce(EtlJob job, int ids) throws Exception {
        TableTarget events = job.targets().stream().filter(t -> t.name().equals(TABLE)).findFirst().orElseThrow();
        List<Object> written = events.readAll().stream().map(r -> r.getField("id")).toList();
        assertThat(written).hasSize(ids).doesNotHaveDuplicates();
    }

    private static long counter(Map<String, Long> sla, String table, String name) {
        return sla.getOrDefault(SlaMetrics.key(table, name), 0L);
    }
}

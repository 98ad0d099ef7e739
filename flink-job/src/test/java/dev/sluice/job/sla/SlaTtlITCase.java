package dev.sluice.job.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.EtlJob;
import dev.sluice.job.testing.JobFixture;
import dev.sluice.job.testing.Orders;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Gauge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TTL counters on a real job: with {@code slaTtl(1 day)}, the day counters of records received three
 * days ago exist (accumulator and gauges) until the next checkpoint, which prunes them from state, from
 * the accumulator and from every metric reporter, while today's day counters and the plain counters
 * stay exact; late records of the pruned day count in the plain counters but do not bring the day back.
 * A test reporter records what the cluster registers and unregisters.
 *
 * <p>Checkpoints every 10 s: records are produced right after a checkpoint completed, so the expired
 * counters are visible in the accumulator (heartbeats every 2 s) before the next one prunes them.
 */
class SlaTtlITCase {
    private static final Logger LOG = LoggerFactory.getLogger(SlaTtlITCase.class);
    private static final Duration PATIENCE = Duration.ofMinutes(1);
    private static final String TABLE = "sla.orders";

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(1, Duration.ofSeconds(10), RecordingReporter::configure);

    @Test
    void dayCountersOlderThanTheTtlDisappearAtTheNextCheckpoint() throws Exception {
        String topic = "sla-ttl-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 1);
        long now = System.currentTimeMillis();
        long threeDaysAgo = now - Duration.ofDays(3).toMillis();
        String today = day(now);
        String old = day(threeDaysAgo);
        EtlJob job = fixture.job(JobFixture.pipeline("sla-orders.yaml", topic), topic)
                .slaTtl(Duration.ofDays(1)).build();

        JobID jobId = fixture.submit(job, 1, null);
        try {
            await().atMost(PATIENCE).until(() -> completedCheckpoints(jobId) >= 1);
            fixture.produce(topic, Orders.mix("old-", 0, 14, 3, 3, 1), threeDaysAgo);
            fixture.produce(topic, Orders.mix("new-", 0, 20, 5, 5, 2), now);

            // Before the next checkpoint: both days are counted, in the accumulator and as gauges.
            await().atMost(PATIENCE).until(() -> jobCounter(jobId, SlaMetrics.RECORDS_IN) == 50
                    && daily(jobId, old, SlaMetrics.RECORDS_IN) == 20);
            Map<String, Long> before = fixture.sla(jobId);
            assertDay(before, old, 14, 3, 3);
            assertDay(before, today, 20, 5, 5);
            Map<String, RecordingReporter.Registered> oldGauges = dayGauges(jobId, old);
            assertThat(oldGauges.keySet()).containsExactlyInAnyOrder(SlaMetrics.RECORDS_IN, SlaMetrics.RECORDS_OUT,
                    SlaMetrics.RECORDS_DROPPED, SlaMetrics.RECORDS_ERRORED);
            assertThat(gaugeValue(oldGauges.get(SlaMetrics.RECORDS_IN))).isEqualTo(20L);
            assertThat(oldGauges.get(SlaMetrics.RECORDS_IN).variables()).containsEntry("<table>", SlaMetrics.JOB_TABLE);
            Map<String, RecordingReporter.Registered> todayGauges = dayGauges(jobId, today);
            assertThat(todayGauges).hasSize(4);

            // The next checkpoint prunes the expired day everywhere; today's and the plain counters stay.
            long seen = completedCheckpoints(jobId);
            await().atMost(PATIENCE).until(() -> completedCheckpoints(jobId) > seen);
            await().atMost(PATIENCE).until(() -> fixture.sla(jobId).keySet().stream()
                    .noneMatch(k -> k.contains("|" + old + ".")));
            Map<String, Long> after = fixture.sla(jobId);
            assertDay(after, today, 20, 5, 5);
            assertPlain(after, 50, 34, 8, 8);
            assertThat(RecordingReporter.REMOVED).as("expired day gauges unregistered")
                    .containsAll(identifiers(oldGauges));
            assertThat(RecordingReporter.REMOVED).as("today's gauges stay").doesNotContainAnyElementsOf(
                    identifiers(todayGauges));
            assertThat(dayGauges(jobId, old)).isEmpty();
            assertThat(dayGauges(jobId, today)).hasSize(4);

            // Late records of the expired day count in the plain counters only: their day does not come
            // back (not in the same accumulator snapshot that shows them counted, not as gauges).
            fixture.produce(topic, Orders.mix("late-", 0, 4, 0, 0, 3), threeDaysAgo);
            await().atMost(PATIENCE).until(() -> jobCounter(jobId, SlaMetrics.RECORDS_IN) == 54);
            Map<String, Long> late = fixture.sla(jobId);
            LOG.info("TTL: day {} before the checkpoint {}, after {}; late {}; reporter events of the day {}", old,
                    dayValues(before, old), dayValues(after, old), late, RecordingReporter.EVENTS.stream()
                            .filter(e -> e.contains(old)).map(e -> e.substring(0, 1) + e.substring(e.lastIndexOf('.')))
                            .toList());
            assertPlain(late, 54, 38, 8, 8);
            assertDay(late, today, 20, 5, 5);
            assertThat(late.keySet()).noneMatch(k -> k.contains("|" + old + "."));
            assertThat(dayGauges(jobId, old)).isEmpty();
            assertThat(RecordingReporter.EVENTS).filteredOn(e -> e.startsWith("+") && e.contains(old))
                    .as("gauges of the expired day registered once, never again").hasSize(4);
        } finally {
            fixture.flink().stopWithSavepoint(jobId);
        }
    }

    private static void assertDay(Map<String, Long> sla, String day, long out, long dropped, long errored) {
        assertThat(sla).as("day %s", day)
                .containsEntry(key(SlaMetrics.daily(day, SlaMetrics.RECORDS_IN)), out + dropped + errored)
                .containsEntry(key(SlaMetrics.daily(day, SlaMetrics.RECORDS_OUT)), out)
                .containsEntry(key(SlaMetrics.daily(day, SlaMetrics.RECORDS_DROPPED)), dropped)
                .containsEntry(key(SlaMetrics.daily(day, SlaMetrics.RECORDS_ERRORED)), errored);
    }

    private static void assertPlain(Map<String, Long> sla, long in, long out, long dropped, long errored) {
        assertThat(in).isEqualTo(out + dropped + errored);
        assertThat(sla).containsEntry(key(SlaMetrics.RECORDS_IN), in)
                .containsEntry(key(SlaMetrics.RECORDS_OUT), out)
                .containsEntry(key(SlaMetrics.RECORDS_DROPPED), dropped)
                .containsEntry(key(SlaMetrics.RECORDS_ERRORED), errored)
                .containsEntry(SlaMetrics.key(TABLE, SlaMetrics.RECORDS_IN), in)
                .containsEntry(SlaMetrics.key(TABLE, SlaMetrics.RECORDS_OUT), out);
    }

    private static Map<String, Long> dayValues(Map<String, Long> sla, String day) {
        return sla.entrySet().stream().filter(e -> e.getKey().contains("|" + day + "."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String key(String counter) {
        return SlaMetrics.key(SlaMetrics.JOB_TABLE, counter);
    }

    private static long jobCounter(JobID job, String counter) throws Exception {
        return fixture.jobCounter(job, counter);
    }

    private static long daily(JobID job, String day, String counter) throws Exception {
        return fixture.jobCounter(job, SlaMetrics.daily(day, counter));
    }

    /** The job's day gauges currently registered for {@code day}, by counter name. */
    private static Map<String, RecordingReporter.Registered> dayGauges(JobID job, String day) {
        return RecordingReporter.REGISTERED.values().stream()
                .filter(r -> day.equals(r.variables().get("<day>"))
                        && job.toString().equals(r.variables().get("<job_id>")))
                .collect(Collectors.toMap(RecordingReporter.Registered::name, r -> r));
    }

    private static List<String> identifiers(Map<String, RecordingReporter.Registered> gauges) {
        return gauges.values().stream().map(RecordingReporter.Registered::identifier).toList();
    }

    private static Object gaugeValue(RecordingReporter.Registered registered) {
        return ((Gauge<?>) registered.metric()).getValue();
    }

    private static long completedCheckpoints(JobID job) {
        return RecordingReporter.completedCheckpoints(job);
    }

    private static String day(long epochMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).toString();
    }
}

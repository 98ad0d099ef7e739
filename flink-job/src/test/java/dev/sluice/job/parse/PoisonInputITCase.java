package dev.sluice.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.error.ErrorCode;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.testing.JobFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Poison input on a real broker and MiniCluster: a 1 MB line, 10,000-deep JSON nesting, bytes that are
 * not UTF-8 inside a well-formed JSON string and a run of lines on which the table's regex backtracks
 * catastrophically arrive between two batches of good lines. Each poison line must become a row (the
 * 1 MB one is valid) or an error row with its code, read back from the lake by offset; the SLA account
 * must be exact; and the batch after the poison must go through without the subtask having stalled.
 */
class PoisonInputITCase {
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final int BATCH = 1_000;
    /** Each costs the default budget (100 ms of CPU); unbudgeted, one alone would stall its subtask for years. */
    private static final int BACKTRACKING_LINES = 10;

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(2, Duration.ofSeconds(2));

    /** A line and what it must become: an error code, or null for a row. */
    private record Line(byte[] bytes, ErrorCode code) {
        static Line of(String text, ErrorCode code) {
            return new Line(text.getBytes(StandardCharsets.UTF_8), code);
        }
    }

    @Test
    void poisonLinesBecomeRowsOrCodedErrorsAndTheJobKeepsItsPace() throws Exception {
        String topic = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 1);
        List<Line> before = good("b");
        List<Line> poison = poison();
        List<Line> after = good("a");
        List<Line> all = new ArrayList<>(before);
        all.addAll(poison);
        all.addAll(after);

        EtlJob job = fixture.job(JobFixture.pipeline("poison.yaml", topic), topic).build();
        Map<String, TableTarget> targets = job.targets().stream()
                .collect(Collectors.toMap(TableTarget::name, Function.identity()));
        JobID id = fixture.submit(job, 1, null);
        try {
            long start = System.nanoTime();
            produce(topic, before);
            awaitIn(id, before.size());
            Duration firstBatch = since(start);

            long poisonStart = System.nanoTime();
            produce(topic, poison);
            awaitIn(id, before.size() + poison.size());
            Duration poisonBatch = since(poisonStart);

            long afterStart = System.nanoTime();
            produce(topic, after);
            awaitIn(id, all.size());
            Duration lastBatch = since(afterStart);
            System.out.printf("poison: %d good lines in %d ms, %d poison lines in %d ms, %d good lines after in %d ms%n",
                    before.size(), firstBatch.toMillis(), poison.size(), poisonBatch.toMillis(), after.size(),
                    lastBatch.toMillis());
            // The budget bounds the poison to about a second of subtask time (plus the 1 MB row), and the
            // batch after it is not slowed by what came before.
            assertThat(poisonBatch).isLessThan(Duration.ofSeconds(60));
            assertThat(lastBatch).isLessThan(firstBatch.multipliedBy(3).plusSeconds(20));

            long errors = all.stream().filter(l -> l.code() != null).count();
            long rows = all.size() - errors;
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() ->
                    targets.get("poison.sluice_errors").readAll().size() >= errors
                            && targets.get("poison.events").readAll().size()
                            + targets.get("poison.access").readAll().size() >= rows);
            Map<String, Long> sla = fixture.sla(id);
            assertThat(count(sla, SlaMetrics.RECORDS_IN)).isEqualTo(all.size());
            assertThat(count(sla, SlaMetrics.RECORDS_ERRORED)).isEqualTo(errors);
            assertThat(count(sla, SlaMetrics.RECORDS_DROPPED)).isZero();
            assertThat(count(sla, SlaMetrics.RECORDS_OUT)).isEqualTo(rows);

            Map<Long, Row> errorRows = targets.get("poison.sluice_errors").readAll().stream()
                    .collect(Collectors.toMap(r -> (Long) r.getField("source_offset"), Function.identity()));
            assertThat(errorRows).hasSize((int) errors);
            for (int offset = 0; offset < all.size(); offset++) {
                Line line = all.get(offset);
                Row row = errorRows.get((long) offset);
                if (line.code() == null) {
                    assertThat(row).as("offset %d is a row, not an error", offset).isNull();
                } else {
                    assertThat(row).as("error row at offset %d", offset).isNotNull();
                    assertThat(row.getField("error_code")).as("offset %d", offset).isEqualTo(line.code().name());
                }
            }
            Row big = targets.get("poison.events").readAll().stream()
                    .filter(r -> "big-1".equals(r.getField("id"))).findFirst().orElseThrow();
            assertThat((String) big.getField("msg")).hasSize(1_000_000);
            assertThat(targets.get("poison.access").readAll()).hasSize(BATCH);
        } finally {
            fixture.flink().stopWithSavepoint(id);
        }
    }

    /** Half json, half regex lines, each with its own key. */
    private static List<Line> good(String batch) {
        List<Line> lines = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            lines.add(i % 2 == 0
                    ? Line.of("{\"id\":\"" + batch + i + "\",\"msg\":\"ok " + i + "\"}", null)
                    : Line.of("ACCESS user " + batch + i + " ok", null));
        }
        return lines;
    }

    private static List<Line> poison() {
        List<Line> lines = new ArrayList<>();
        lines.add(Line.of("{\"id\":\"big-1\",\"msg\":\"" + "x".repeat(1_000_000) + "\"}", null));
        lines.add(Line.of("{\"id\":\"deep\",\"msg\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_001),
                ErrorCode.INVALID_JSON));
        byte[] head = "{\"id\":\"utf\",\"msg\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] notUtf8 = Arrays.copyOf(head, head.length + 4);
        notUtf8[head.length] = (byte) 0xC3;
        notUtf8[head.length + 1] = (byte) 0x28;
        notUtf8[head.length + 2] = '"';
        notUtf8[head.length + 3] = '}';
        lines.add(new Line(notUtf8, ErrorCode.INVALID_ENCODING));
        for (int i = 0; i < BACKTRACKING_LINES; i++) {
            lines.add(Line.of("ACCESS " + "a".repeat(64 + i) + "!", ErrorCode.PARSE_TIMEOUT));
        }
        return lines;
    }

    private static void produce(String topic, List<Line> lines) throws Exception {
        fixture.produce(topic, lines.stream().map(Line::bytes).toList(), System.currentTimeMillis());
    }

    private static void awaitIn(JobID id, long in) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> fixture.jobCounter(id, SlaMetrics.RECORDS_IN) >= in);
    }

    private static long count(Map<String, Long> sla, String counter) {
        return sla.getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, counter), 0L);
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}

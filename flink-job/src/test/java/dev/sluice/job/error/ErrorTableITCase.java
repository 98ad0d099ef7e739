package dev.sluice.job.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.error.ErrorCode;
import dev.sluice.core.error.ErrorRecord;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.pipeline.RecordProcessor;
import dev.sluice.job.sla.RecordingReporter;
import dev.sluice.job.testing.JobFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
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
 * The error table end to end: a corpus with every failure kind goes through a real broker and the
 * {@link EtlJob} on a MiniCluster; the error table is read back through its Hudi reader and each row
 * is checked against the line that caused it — code, stage, table, Kafka origin and the raw bytes,
 * byte for byte (base64 for a line that is not UTF-8). The topic has one partition, so the offset of
 * each line is its index in the corpus and a lost, duplicated or misattributed error shows.
 */
class ErrorTableITCase {
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(2, Duration.ofSeconds(2), RecordingReporter::configure);

    /** One corpus line and what the engine must make of it (code null: not an error). */
    private record Line(byte[] bytes, ErrorCode code, String table) {
        static Line good(String text, String table) {
            return new Line(text.getBytes(StandardCharsets.UTF_8), null, table);
        }

        static Line error(String text, ErrorCode code, String table) {
            return new Line(text.getBytes(StandardCharsets.UTF_8), code, table);
        }
    }

    @Test
    void everyFailureKindLandsInTheErrorTableWithItsCodeAndRawBytes() throws Exception {
        String topic = "errors-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 1);
        byte[] notUtf8 = {'A', 'C', 'C', 'E', 'S', 'S', ' ', (byte) 0xff, (byte) 0xfe, 'x', ' ', '2', '0', '0'};
        String noTable = "plain noise line, no table claims it";
        List<Line> corpus = List.of(
                Line.good("{\"id\":\"g-1\",\"amount\":1.5}", "errs.orders"),
                Line.error("{\"id\":\"b-1\",\"amount\":", ErrorCode.INVALID_JSON, "errs.orders"),
                Line.good("ACCESS alice 200", "errs.access"),
                Line.error("ACCESS only-two-fields", ErrorCode.PATTERN_MISMATCH, "errs.access"),
                Line.error("{\"id\":\"t-1\",\"amount\":\"lots\"}", ErrorCode.TYPE_CONVERSION, "errs.orders"),
                // Non-ASCII text and trailing whitespace must come back unchanged too.
                Line.error("{\"id\":\"t-2\",\"amount\":\"zwölf €\"}\t  ", ErrorCode.TYPE_CONVERSION, "errs.orders"),
                Line.error("{\"amount\":3}", ErrorCode.MISSING_REQUIRED_FIELD, "errs.orders"),
                Line.error("ACCESS carol many", ErrorCode.TYPE_CONVERSION, "errs.access"),
                new Line(notUtf8, ErrorCode.INVALID_ENCODING, "errs.access"),
                Line.good(noTable, null),
                Line.good("{\"id\":\"g-2\",\"amount\":2}", "errs.orders"),
                Line.good("ACCESS bob 404", "errs.access"));
        long receivedAt = Instant.parse("2026-11-23T10:15:30Z").toEpochMilli();
        fixture.produce(topic, corpus.stream().map(Line::bytes).toList(), receivedAt);

        EtlJob job = fixture.job(JobFixture.pipeline("error-kinds.yaml", topic), topic).build();
        Map<String, TableTarget> targets = job.targets().stream()
                .collect(Collectors.toMap(TableTarget::name, Function.identity()));
        TableTarget errorTable = targets.get("errs.sluice_errors");
        assertThat(errorTable).as("error table target of database errs").isNotNull();
        long expectedErrors = corpus.stream().filter(l -> l.code() != null).count();

        JobID jobId = fixture.submit(job, 1, null);
        List<Row> rows;
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> fixture.jobCounter(jobId, SlaMetrics.RECORDS_IN) == corpus.size());
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2))
                    .until(() -> errorTable.readAll().size() >= expectedErrors);
            // The data tables hold exactly the good lines (upserts by id/user).
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() ->
                    targets.get("errs.orders").readAll().size() == 2 && targets.get("errs.access").readAll().size() == 2);
            rows = errorTable.readAll();
            assertSla(fixture.sla(jobId), corpus.size(), expectedErrors);
            assertErrorCodes(fixture.sla(jobId), corpus);
            // Both data tables are read back complete, so their rows' commit happened: freshness is the
            // corpus's ingest time, and each table counted at least one commit.
            for (String table : List.of("errs.orders", "errs.access")) {
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(gauge(jobId, table, SlaMetrics.LAST_COMMITTED_INGEST_TIME)).as(table + " freshness")
                                .isEqualTo(receivedAt));
                assertThat(fixture.sla(jobId).getOrDefault(key(table, SlaMetrics.COMMITS), 0L)).as(table + " commits")
                        .isPositive();
            }
        } finally {
            fixture.flink().stopWithSavepoint(jobId);
        }

        assertThat(rows).hasSize((int) expectedErrors);
        Map<Long, Row> byOffset = rows.stream()
                .collect(Collectors.toMap(r -> (Long) r.getField("source_offset"), Function.identity()));
        assertThat(byOffset).hasSize(rows.size());
        for (int offset = 0; offset < corpus.size(); offset++) {
            Line line = corpus.get(offset);
            Row row = byOffset.get((long) offset);
            if (line.code() == null) {
                assertThat(row).as("line %d is not an error: %s", offset, text(line.bytes())).isNull();
                continue;
            }
            assertThat(row).as("error row of line %d (%s)", offset, text(line.bytes())).isNotNull();
            String what = "line " + offset + " " + text(line.bytes());
            assertThat(row.getField("error_code")).as(what).isEqualTo(line.code().name());
            assertThat(row.getField("stage")).as(what).isEqualTo(line.code().stage().wireName());
            assertThat(row.getField("table_name")).as(what).isEqualTo(line.table());
            assertThat(row.getField("source_topic")).as(what).isEqualTo(topic);
            assertThat(row.getField("source_partition")).as(what).isEqualTo(0);
            assertThat(row.getField("dt")).as(what).isEqualTo("2026-11-23");
            assertThat(row.getField("ingest_time")).as(what)
                    .isEqualTo(LocalDateTime.ofInstant(Instant.ofEpochMilli(receivedAt), ZoneOffset.UTC));
            assertThat(row.getField("message")).as(what).isNotNull();
            ErrorRecord record = new ErrorRecord(line.code(), line.code().stage(), line.table(),
                    (String) row.getField("raw"), (String) row.getField("raw_encoding"), null, null, topic, 0,
                    offset, receivedAt);
            assertThat(HexFormat.of().formatHex(record.rawBytes())).as(what)
                    .isEqualTo(HexFormat.of().formatHex(line.bytes()));
        }
        Row binary = byOffset.get((long) corpus.indexOf(corpus.stream()
                .filter(l -> l.code() == ErrorCode.INVALID_ENCODING).findFirst().orElseThrow()));
        assertThat(binary.getField("raw_encoding")).isEqualTo(ErrorRecord.BASE64);
        assertThat(rows).filteredOn(r -> r != binary).allSatisfy(r ->
                assertThat(r.getField("raw_encoding")).isEqualTo(ErrorRecord.UTF8));
    }

    /** Every error record counts once under its table and code; the test corpus has no table-less error. */
    private static void assertErrorCodes(Map<String, Long> sla, List<Line> corpus) {
        Map<String, Long> expected = corpus.stream().filter(l -> l.code() != null).collect(Collectors.groupingBy(
                l -> key(l.table(), SlaMetrics.erroredByCode(l.code().name())), Collectors.counting()));
        assertThat(expected).containsEntry(key("errs.orders", "code=TYPE_CONVERSION.recordsErrored"), 2L);
        Map<String, Long> actual = sla.entrySet().stream()
                .filter(e -> e.getKey().contains("|" + SlaMetrics.CODE_LABEL + "="))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(actual).isEqualTo(expected);
    }

    /** A gauge of the job's SLA group for one table, as the metric reporters see it; null while absent. */
    private static Object gauge(JobID job, String table, String name) {
        return RecordingReporter.REGISTERED.values().stream()
                .filter(r -> r.name().equals(name) && table.equals(r.variables().get("<table>"))
                        && job.toString().equals(r.variables().get("<job_id>")))
                .map(r -> ((org.apache.flink.metrics.Gauge<?>) r.metric()).getValue())
                .findFirst().orElse(null);
    }

    private static void assertSla(Map<String, Long> sla, int in, long errored) {
        long dropped = 1;
        long out = in - errored - dropped;
        assertThat(sla).containsEntry(key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN), (long) in)
                .containsEntry(key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_OUT), out)
                .containsEntry(key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_ERRORED), errored)
                .containsEntry(key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_DROPPED), dropped)
                // "No table matched" is a drop with its reason, not an error row.
                .containsEntry(key(SlaMetrics.JOB_TABLE,
                        SlaMetrics.RECORDS_DROPPED + "_" + RecordProcessor.DROP_NO_TABLE), dropped);
        // Per table: orders has 2 rows and 4 errors, access 2 rows and 3 errors.
        assertTable(sla, "errs.orders", 2, 0, 4);
        assertTable(sla, "errs.access", 2, 0, 3);
    }

    private static void assertTable(Map<String, Long> sla, String table, long out, long dropped, long errored) {
        assertThat(sla.getOrDefault(key(table, SlaMetrics.RECORDS_IN), 0L)).as(table + " in")
                .isEqualTo(out + dropped + errored);
        assertThat(sla.getOrDefault(key(table, SlaMetrics.RECORDS_OUT), 0L)).as(table + " out").isEqualTo(out);
        assertThat(sla.getOrDefault(key(table, SlaMetrics.RECORDS_DROPPED), 0L)).as(table + " dropped")
                .isEqualTo(dropped);
        assertThat(sla.getOrDefault(key(table, SlaMetrics.RECORDS_ERRORED), 0L)).as(table + " errored")
                .isEqualTo(errored);
    }

    private static String key(String table, String counter) {
        return SlaMetrics.key(table, counter);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

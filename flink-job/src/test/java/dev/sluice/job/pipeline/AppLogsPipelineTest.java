package dev.sluice.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.error.ErrorCode;
import dev.sluice.core.error.ErrorRecord;
import dev.sluice.core.error.Stage;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The app-logs example end to end through the engine: json parser, derived fields, routing, drift. */
class AppLogsPipelineTest {
    private static final String TOPIC = "raw-app-logs";
    private static final String INFO = "{\"ts\":\"2026-11-23T10:00:01.123Z\",\"level\":\"INFO\",\"service\":\"api\","
            + "\"host\":\"web-1\",\"trace_id\":\"t-1\",\"msg\":\"ok\",\"latency_ms\":12,\"user\":{\"id\":42,\"region\":\"eu\"}}";
    private static final String ERROR = "{\"ts\":\"2026-11-23T23:59:59.5+01:00\",\"level\":\"ERROR\",\"service\":\"api\","
            + "\"host\":\"web-2\",\"trace_id\":\"t-2\",\"msg\":\"boom\",\"latency_ms\":1500,\"user\":{\"id\":7,\"region\":\"us\"}}";

    private RecordProcessor processor;

    @BeforeEach
    void open() {
        processor = Pipelines.opened(Pipelines.example("app-logs.yaml"));
    }

    @Test
    void infoLineLandsInEventsOnlyWithTypedValues() {
        CollectingOutput out = Pipelines.run(processor, TOPIC, INFO);

        assertThat(out.rows).hasSize(1);
        RowData row = out.rows("app.events").get(0);
        assertThat(row.getRowKind()).isEqualTo(RowKind.INSERT);
        assertThat(row.getString(0).toString()).hasSize(16); // event_id hash
        assertThat(row.getTimestamp(1, 6))
                .isEqualTo(TimestampData.fromLocalDateTime(LocalDateTime.of(2026, 11, 23, 10, 0, 1, 123_000_000)));
        assertThat(row.getString(2)).isEqualTo(StringData.fromString("INFO"));
        assertThat(row.getLong(7)).isEqualTo(12L);
        assertThat(row.getLong(8)).isEqualTo(42L);
        assertThat(row.getString(9)).isEqualTo(StringData.fromString("eu"));
        assertThat(row.getString(10)).isEqualTo(StringData.fromString("2026-11-23"));
        assertThat(out.drops).containsExactly(new CollectingOutput.Drop("app.errors", "route"));
        assertThat(out.errors).isEmpty();
    }

    @Test
    void errorLineLandsInBothTablesAndOffsetIsNormalizedToUtc() {
        CollectingOutput out = Pipelines.run(processor, TOPIC, ERROR);

        assertThat(out.rows("app.events")).hasSize(1);
        assertThat(out.rows("app.errors")).hasSize(1);
        RowData error = out.rows("app.errors").get(0);
        assertThat(error.getTimestamp(1, 6).toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 11, 23, 22, 59, 59, 500_000_000));
        assertThat(error.getString(7)).isEqualTo(StringData.fromString("2026-11-23"));
        assertThat(out.rows("app.events").get(0).getString(0)).isEqualTo(error.getString(0));
        assertThat(out.drops).isEmpty();
    }

    @Test
    void driftedLinesMissingAndExtraFieldsStillLoad() {
        String missingOptional = INFO.replace(",\"latency_ms\":12", "").replace(",\"user\":{\"id\":42,\"region\":\"eu\"}", "");
        String extraField = INFO.replace("\"msg\":\"ok\"", "\"msg\":\"ok\",\"new_field\":{\"a\":1}");

        CollectingOutput out = Pipelines.run(processor, TOPIC, missingOptional, extraField);

        assertThat(out.rows("app.events")).hasSize(2);
        RowData missing = out.rows("app.events").get(0);
        assertThat(missing.isNullAt(7)).isTrue();
        assertThat(missing.isNullAt(8)).isTrue();
        assertThat(out.rows("app.events").get(1).getLong(7)).isEqualTo(12L);
        assertThat(out.errors).isEmpty();
    }

    @Test
    void numberTurnedIntoObjectIsATypeConversionErrorKeepingTheRawBytes() {
        String drifted = INFO.replace("\"latency_ms\":12", "\"latency_ms\":{\"value\":12,\"unit\":\"ms\"}");

        CollectingOutput out = Pipelines.run(processor, TOPIC, drifted);

        assertThat(out.rows).isEmpty();
        assertThat(out.drops).containsExactly(new CollectingOutput.Drop("app.errors", "route"));
        ErrorRecord error = out.errors.get(0);
        assertThat(error.code()).isEqualTo(ErrorCode.TYPE_CONVERSION);
        assertThat(error.stage()).isEqualTo(Stage.FORMAT);
        assertThat(error.table()).isEqualTo("app.events");
        assertThat(error.message()).isEqualTo("column 'latency_ms' from 'latency_ms': expected an integer, got object");
        assertThat(error.rawBytes()).isEqualTo(drifted.getBytes(StandardCharsets.UTF_8));
        assertThat(error.sourceTopic()).isEqualTo(TOPIC);
        assertThat(error.sourcePartition()).isEqualTo(2);
        assertThat(error.sourceOffset()).isEqualTo(77L);
    }

    @Test
    void missingRequiredEventTimeIsAnError() {
        String noTs = INFO.replace("\"ts\":\"2026-11-23T10:00:01.123Z\",", "");

        CollectingOutput out = Pipelines.run(processor, TOPIC, noTs);

        assertThat(out.errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MISSING_REQUIRED_FIELD);
            assertThat(e.message()).isEqualTo("column 'ts' is required but 'ts' has no value");
        });
    }

    @Test
    void brokenJsonIsOneParseErrorForTheRecordNotOnePerTable() {
        String broken = INFO.substring(0, 40);

        CollectingOutput out = Pipelines.run(processor, TOPIC, broken);

        assertThat(out.calls()).isEqualTo(1);
        ErrorRecord error = out.errors.get(0);
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(error.stage()).isEqualTo(Stage.PARSE);
        assertThat(error.table()).as("two tables took the line: no single target").isNull();
        assertThat(error.raw()).isEqualTo(broken);
    }

    @Test
    void processorSurvivesJavaSerializationAndReopens() throws Exception {
        byte[] bytes;
        try (var buffer = new java.io.ByteArrayOutputStream(); var objects = new java.io.ObjectOutputStream(buffer)) {
            objects.writeObject(processor);
            objects.flush();
            bytes = buffer.toByteArray();
        }
        RecordProcessor copy;
        try (var objects = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
            copy = (RecordProcessor) objects.readObject();
        }
        copy.open();

        assertThat(Pipelines.run(copy, TOPIC, ERROR).rows).hasSize(2);
    }
}

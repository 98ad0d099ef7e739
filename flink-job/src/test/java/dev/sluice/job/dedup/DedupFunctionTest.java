package dev.sluice.job.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.DedupConfig;
import dev.sluice.core.sla.SlaMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

/** The dedup operator in Flink's keyed operator harness: first row passes, TTL from the first row, state and counters restored. */
class DedupFunctionTest {
    private static final String TABLE = "app.events";
    private static final RowType ROW_TYPE = (RowType) DataTypes.ROW(
            DataTypes.FIELD("id", DataTypes.STRING()),
            DataTypes.FIELD("host", DataTypes.STRING()),
            DataTypes.FIELD("n", DataTypes.BIGINT())).getLogicalType();
    private static final Duration WITHIN = Duration.ofHours(1);

    @Test
    void firstRowOfAKeyPassesAndLaterOnesAreCountedAsDuplicates() throws Exception {
        try (var harness = harness(List.of("id"))) {
            harness.open();
            harness.processElement(row("a", "h1", 1), 0);
            harness.processElement(row("b", "h1", 2), 0);
            harness.processElement(row("a", "h2", 3), 0);
            harness.processElement(row("a", "h1", 4), 0);
            assertThat(harness.extractOutputValues()).extracting(r -> r.getLong(2)).containsExactly(1L, 2L);
            assertThat(counters(harness)).containsEntry(SlaMetrics.key(TABLE, SlaMetrics.RECORDS_OUT), 2L)
                    .containsEntry(SlaMetrics.key(TABLE, SlaMetrics.RECORDS_DROPPED), 2L)
                    .containsEntry(SlaMetrics.key(SlaMetrics.JOB_TABLE, "recordsDropped_duplicate"), 2L);
        }
    }

    @Test
    void everyKeyColumnMustMatchAndNullIsNotTheTextNull() throws Exception {
        try (var harness = harness(List.of("id", "host"))) {
            harness.open();
            harness.processElement(row("a", "h1", 1), 0);
            harness.processElement(row("a", "h2", 2), 0);
            harness.processElement(row("a", null, 3), 0);
            harness.processElement(row("a", "null", 4), 0);
            harness.processElement(row("a", null, 5), 0);
            harness.processElement(row("a", "h1", 6), 0);
            assertThat(harness.extractOutputValues()).extracting(r -> r.getLong(2)).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void valuesOfAKeyCannotRunIntoEachOther() throws Exception {
        try (var harness = harness(List.of("id", "host"))) {
            harness.open();
            harness.processElement(row("a\u0000", "b", 1), 0);
            harness.processElement(row("a", "\u0000b", 2), 0);
            harness.processElement(row("1:a", "b", 3), 0);
            harness.processElement(row("1:a1:b", null, 4), 0);
            harness.processElement(row("a", "\u0000b", 5), 0);
            assertThat(harness.extractOutputValues()).extracting(r -> r.getLong(2)).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aKeyIsRememberedForWithinFromItsFirstRowOnly() throws Exception {
        try (var harness = harness(List.of("id"))) {
            harness.open();
            harness.setStateTtlProcessingTime(0);
            harness.processElement(row("a", "h", 1), 0);
            harness.setStateTtlProcessingTime(WITHIN.toMillis() - 1);
            harness.processElement(row("a", "h", 2), 0);
            // The duplicate did not extend the key's life: one hour after the first row it is new again.
            harness.setStateTtlProcessingTime(WITHIN.toMillis());
            harness.processElement(row("a", "h", 3), 0);
            assertThat(harness.extractOutputValues()).extracting(r -> r.getLong(2)).containsExactly(1L, 3L);
        }
    }

    @Test
    void seenKeysAndCountersComeBackFromACheckpoint() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(List.of("id"))) {
            harness.open();
            harness.processElement(row("a", "h", 1), 0);
            harness.processElement(row("a", "h", 2), 0);
            snapshot = harness.snapshot(1L, 0L);
        }
        try (var restored = harness(List.of("id"))) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(row("a", "h", 3), 0);
            restored.processElement(row("b", "h", 4), 0);
            assertThat(restored.extractOutputValues()).extracting(r -> r.getLong(2)).containsExactly(4L);
            assertThat(counters(restored)).containsEntry(SlaMetrics.key(TABLE, SlaMetrics.RECORDS_OUT), 2L)
                    .containsEntry(SlaMetrics.key(TABLE, SlaMetrics.RECORDS_DROPPED), 2L);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> harness(List<String> key)
            throws Exception {
        DedupFunction function = new DedupFunction(TABLE, new DedupConfig(key, WITHIN), Duration.ofDays(7));
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function),
                new DedupKey(ROW_TYPE, key), Types.STRING);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> counters(KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> harness) {
        return ((DedupFunction) ((KeyedProcessOperator<String, RowData, RowData>) harness.getOperator())
                .getUserFunction()).counters();
    }

    private static RowData row(String id, String host, long n) {
        return GenericRowData.of(StringData.fromString(id), host == null ? null : StringData.fromString(host), n);
    }
}

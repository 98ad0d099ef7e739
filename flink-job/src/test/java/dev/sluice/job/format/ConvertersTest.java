package dev.sluice.job.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.config.ColumnConfig;
import dev.sluice.core.config.LogicalType;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.junit.jupiter.api.Test;

class ConvertersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Object convert(LogicalType type, String format, String json) throws Exception {
        JsonNode value = JSON.readTree(json);
        return Converters.forColumn(new ColumnConfig("c", type, null, null, format)).convert(value);
    }

    private static LocalDateTime ts(String json, String format) throws Exception {
        return ((TimestampData) convert(LogicalType.TIMESTAMP, format, json)).toLocalDateTime();
    }

    @Test
    void scalarsFromJsonAndFromText() throws Exception {
        assertThat(convert(LogicalType.BIGINT, null, "12")).isEqualTo(12L);
        assertThat(convert(LogicalType.BIGINT, null, "\" 512 \"")).isEqualTo(512L);
        assertThat(convert(LogicalType.BIGINT, null, "12.0")).isEqualTo(12L);
        assertThat(convert(LogicalType.DOUBLE, null, "\"6.48\"")).isEqualTo(6.48);
        assertThat(convert(LogicalType.BOOLEAN, null, "\"TRUE\"")).isEqualTo(true);
        assertThat(convert(LogicalType.STRING, null, "42")).isEqualTo(StringData.fromString("42"));
        assertThat(convert(LogicalType.JSON, null, "{\"a\":[1,2]}")).isEqualTo(StringData.fromString("{\"a\":[1,2]}"));
    }

    @Test
    void textHoldsTheSameStringAsTextAndAsUtf8() throws Exception {
        for (String text : new String[] {"", "INFO", "grüße 東京 \uD83C\uDFAE", "a\u0000b"}) {
            StringData converted = (StringData) convert(LogicalType.STRING, null, JSON.writeValueAsString(text));

            assertThat(converted.toString()).isEqualTo(text);
            assertThat(converted.toBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
            assertThat(converted).isEqualTo(StringData.fromString(text)).hasSameHashCodeAs(StringData.fromString(text));
        }
    }

    @Test
    void driftedValuesAreConversionFailures() {
        assertThatThrownBy(() -> convert(LogicalType.BIGINT, null, "12.5")).isInstanceOf(ConversionException.class)
                .hasMessage("expected an integer, got number 12.5");
        assertThatThrownBy(() -> convert(LogicalType.STRING, null, "{\"a\":1}")).hasMessage("expected text, got object");
        assertThatThrownBy(() -> convert(LogicalType.DOUBLE, null, "\"n/a\"")).hasMessage("expected a number, got text 'n/a'");
        assertThatThrownBy(() -> convert(LogicalType.BOOLEAN, null, "1")).hasMessage("expected a boolean, got number 1");
    }

    @Test
    void timestampsFromIsoTextPatternsAndEpochNumbers() throws Exception {
        LocalDateTime expected = LocalDateTime.of(2026, 11, 23, 10, 0, 1, 123_456_000);
        assertThat(ts("\"2026-11-23T10:00:01.123456789Z\"", null)).isEqualTo(expected);
        assertThat(ts("\"2026-11-23 12:00:01.123456+02:00\"", null)).isEqualTo(expected);
        assertThat(ts("\"2026-11-23 10:00:01\"", null)).isEqualTo(expected.withNano(0));
        assertThat(ts("\"23/Nov/2026:11:00:01 +0100\"", "dd/MMM/yyyy:HH:mm:ss Z")).isEqualTo(expected.withNano(0));
        assertThat(ts("1795428001", null)).isEqualTo(LocalDateTime.of(2026, 11, 23, 10, 0, 1));
        assertThat(ts("1795428001123", null)).isEqualTo(LocalDateTime.of(2026, 11, 23, 10, 0, 1, 123_000_000));
        assertThat(ts("\"1795428001123\"", null)).isEqualTo(LocalDateTime.of(2026, 11, 23, 10, 0, 1, 123_000_000));
        assertThatThrownBy(() -> ts("\"yesterday\"", null)).isInstanceOf(ConversionException.class)
                .hasMessageStartingWith("cannot read timestamp 'yesterday' as ISO-8601");
    }

    @Test
    void datesAreEpochDays() throws Exception {
        int day = (int) LocalDate.of(2026, 11, 23).toEpochDay();
        assertThat(convert(LogicalType.DATE, null, "\"2026-11-23\"")).isEqualTo(day);
        assertThat(convert(LogicalType.DATE, null, "\"2026-11-23T23:00:00Z\"")).isEqualTo(day);
        assertThat(convert(LogicalType.DATE, "dd.MM.yyyy", "\"23.11.2026\"")).isEqualTo(day);
    }
}

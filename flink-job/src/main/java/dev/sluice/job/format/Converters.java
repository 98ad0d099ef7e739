package dev.sluice.job.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.ColumnConfig;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.flink.core.memory.MemorySegment;
import org.apache.flink.core.memory.MemorySegmentFactory;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.binary.BinaryStringData;

/**
 * Logical → Flink internal conversion, one converter per column. Numbers in text (regex and CSV fields)
 * are parsed; objects and arrays are accepted only by JSON columns, so a field that drifted from a number
 * or text to an object is a {@code TYPE_CONVERSION} error instead of a silently stringified value.
 */
public final class Converters {

    private Converters() {
    }

    /** The converter for {@code column}'s logical type (and format pattern, for TIMESTAMP and DATE). */
    public static ColumnConverter forColumn(ColumnConfig column) {
        return switch (column.type()) {
            case STRING -> Converters::string;
            case BIGINT -> Converters::bigint;
            case DOUBLE -> Converters::doubleValue;
            case BOOLEAN -> Converters::bool;
            case TIMESTAMP -> timestamp(column.format() == null ? null : Timestamps.pattern(column.format()));
            case DATE -> date(column.format() == null ? null : Timestamps.pattern(column.format()));
            case JSON -> value -> text(value.toString());
        };
    }

    static Object string(JsonNode value) throws ConversionException {
        if (!value.isValueNode()) {
            throw mismatch("text", value);
        }
        return text(value.isTextual() ? value.textValue() : value.asText());
    }

    /**
     * Flink's binary string holding both forms of {@code value}: Parquet writers take its UTF-8 bytes,
     * record keys and partition paths its text. {@link StringData#fromString} holds only the text and has
     * each writer encode it with Flink's char-by-char encoder, twice as slow on log text as the JDK's.
     */
    static StringData text(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return new BinaryStringData(new MemorySegment[] {MemorySegmentFactory.wrap(utf8)}, 0, utf8.length, value);
    }

    static Object bigint(JsonNode value) throws ConversionException {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isFloatingPointNumber()) {
            double d = value.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return (long) d;
            }
        } else if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                throw mismatch("an integer", value);
            }
        }
        throw mismatch("an integer", value);
    }

    static Object doubleValue(JsonNode value) throws ConversionException {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.textValue().trim());
            } catch (NumberFormatException e) {
                throw mismatch("a number", value);
            }
        }
        throw mismatch("a number", value);
    }

    static Object bool(JsonNode value) throws ConversionException {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            String text = value.textValue().trim();
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        throw mismatch("a boolean", value);
    }

    private static ColumnConverter timestamp(DateTimeFormatter pattern) {
        return value -> TimestampData.fromLocalDateTime(Timestamps.parse(value, pattern));
    }

    private static ColumnConverter date(DateTimeFormatter pattern) {
        return value -> {
            if (pattern == null && value.isTextual() && value.textValue().length() == 10) {
                try {
                    return (int) LocalDate.parse(value.textValue()).toEpochDay();
                } catch (DateTimeParseException e) {
                    throw new ConversionException("cannot read date '" + value.textValue() + "': " + e.getMessage());
                }
            }
            return (int) Timestamps.parse(value, pattern).toLocalDate().toEpochDay();
        };
    }

    private static ConversionException mismatch(String expected, JsonNode value) {
        return new ConversionException("expected " + expected + ", got " + Values.describe(value));
    }
}

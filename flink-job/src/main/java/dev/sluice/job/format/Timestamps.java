package dev.sluice.job.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Reading event times from log values, shared by the TIMESTAMP/DATE columns and the date functions.
 *
 * <ul>
 *   <li>numbers (or digit-only text): epoch seconds when below {@value #SECONDS_LIMIT} (that is before
 *       the year 5138 in seconds, 1973 in millis), else epoch millis; fractions are kept to microseconds;</li>
 *   <li>text with a pattern: parsed with it (English month names);</li>
 *   <li>text without a pattern: ISO-8601 date-time, with {@code T} or a space between date and time, with
 *       or without fraction and offset ({@code 2026-11-23T10:00:01.123Z}, {@code 2026-11-23 10:00:01}),
 *       or a date alone (midnight).</li>
 * </ul>
 * A value with an offset is converted to UTC; one without is taken as written (the lake stores
 * zone-less timestamps). Results are truncated to microseconds, the precision of TIMESTAMP(6).
 */
public final class Timestamps {
    static final long SECONDS_LIMIT = 100_000_000_000L;

    private static final DateTimeFormatter FLEXIBLE_ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private Timestamps() {
    }

    /** A formatter for a user pattern ({@code dd/MMM/yyyy:HH:mm:ss Z}); English names, lenient on case. */
    public static DateTimeFormatter pattern(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
                .toFormatter(Locale.ENGLISH);
    }

    /**
     * The instant in {@code value} as a zone-less date-time.
     *
     * @param pattern the column's pattern, or null for ISO-8601 / epoch numbers
     */
    public static LocalDateTime parse(JsonNode value, DateTimeFormatter pattern) throws ConversionException {
        if (value.isNumber()) {
            return value.isIntegralNumber() ? fromEpoch(value.longValue()) : fromEpoch(value.doubleValue());
        }
        if (!value.isTextual()) {
            throw new ConversionException("expected a timestamp, got " + Values.describe(value));
        }
        String text = value.textValue().trim();
        if (pattern == null && isDigits(text)) {
            return fromEpoch(Long.parseLong(text));
        }
        try {
            return resolve((pattern == null ? FLEXIBLE_ISO : pattern).parse(text));
        } catch (DateTimeException e) {
            throw new ConversionException("cannot read timestamp '" + text + "'"
                    + (pattern == null ? " as ISO-8601" : " with pattern " + pattern) + ": " + e.getMessage());
        }
    }

    private static LocalDateTime resolve(TemporalAccessor parsed) {
        LocalDate date = LocalDate.from(parsed);
        LocalTime time = parsed.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(parsed) : LocalTime.MIDNIGHT;
        LocalDateTime local = date.atTime(time);
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS));
            local = LocalDateTime.ofInstant(local.toInstant(offset), ZoneOffset.UTC);
        }
        return local.truncatedTo(ChronoUnit.MICROS);
    }

    static LocalDateTime fromEpoch(long value) {
        long micros = Math.abs(value) < SECONDS_LIMIT ? Math.multiplyExact(value, 1_000_000L)
                : Math.multiplyExact(value, 1_000L);
        return fromEpochMicros(micros);
    }

    static LocalDateTime fromEpoch(double value) throws ConversionException {
        if (!Double.isFinite(value)) {
            throw new ConversionException("expected a timestamp, got " + value);
        }
        double micros = Math.abs(value) < SECONDS_LIMIT ? value * 1e6 : value * 1e3;
        return fromEpochMicros(Math.round(micros));
    }

    private static LocalDateTime fromEpochMicros(long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
        return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty() || text.length() > 19) {
            return false;
        }
        for (int i = text.charAt(0) == '-' ? 1 : 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return text.charAt(text.length() - 1) != '-';
    }
}

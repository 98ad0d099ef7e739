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
        if (pattern == null) {
            LocalDateTime common = parseCommonIso(text);
            if (common != null) {
                return common;
            }
        }
        return parseWithFormatter(text, pattern);
    }

    /** ISO-8601 text read by the formatter alone, for comparing the fast path with it. */
    static LocalDateTime parseWithFormatter(String text) throws ConversionException {
        return parseWithFormatter(text, null);
    }

    private static LocalDateTime parseWithFormatter(String text, DateTimeFormatter pattern) throws ConversionException {
        try {
            return resolve((pattern == null ? FLEXIBLE_ISO : pattern).parse(text));
        } catch (DateTimeException e) {
            throw new ConversionException("cannot read timestamp '" + text + "'"
                    + (pattern == null ? " as ISO-8601" : " with pattern " + pattern) + ": " + e.getMessage());
        }
    }

    /**
     * The layouts nearly every log writes ({@code yyyy-MM-dd}, then {@code T} or a space, {@code HH:mm},
     * optional {@code :ss}, optional fraction of 1 to 9 digits, optional {@code Z} or {@code ±HH:mm}),
     * read without a formatter: this runs for every timestamp of every record, and
     * {@link DateTimeFormatter#parse} costs several times the whole JSON parse of a log line. Returns null
     * for anything else, valid or not, which then goes through {@link #FLEXIBLE_ISO}, so results and
     * error messages are the formatter's.
     */
    static LocalDateTime parseCommonIso(String text) {
        int length = text.length();
        if (length < 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        if ((year | month | day) < 0) {
            return null;
        }
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nanos = 0;
        int offsetSeconds = 0;
        int at = 10;
        if (length > 10) {
            char separator = text.charAt(10);
            if ((separator != 'T' && separator != 't' && separator != ' ') || length < 16 || text.charAt(13) != ':') {
                return null;
            }
            hour = digits(text, 11, 2);
            minute = digits(text, 14, 2);
            at = 16;
            if (at < length && text.charAt(at) == ':') {
                second = digits(text, at + 1, 2);
                at += 3;
                if (at < length && text.charAt(at) == '.') {
                    int start = ++at;
                    while (at < length && at - start < 9 && isDigit(text.charAt(at))) {
                        nanos = nanos * 10 + (text.charAt(at++) - '0');
                    }
                    if (at == start) {
                        return null;
                    }
                    for (int scale = at - start; scale < 9; scale++) {
                        nanos *= 10;
                    }
                }
            }
            if (at < length) {
                char zone = text.charAt(at);
                if ((zone == 'Z' || zone == 'z') && at + 1 == length) {
                    at++;
                } else if ((zone == '+' || zone == '-') && at + 6 == length && text.charAt(at + 3) == ':') {
                    int offsetHours = digits(text, at + 1, 2);
                    int offsetMinutes = digits(text, at + 4, 2);
                    offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
                    if ((offsetHours | offsetMinutes) < 0 || offsetMinutes > 59 || offsetSeconds > 18 * 3600) {
                        return null;
                    }
                    offsetSeconds = zone == '-' ? -offsetSeconds : offsetSeconds;
                    at = length;
                }
            }
            if ((hour | minute | second) < 0 || at != length) {
                return null;
            }
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos - nanos % 1000);
            return offsetSeconds == 0 ? local : local.minusSeconds(offsetSeconds);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        if (from + count > text.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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

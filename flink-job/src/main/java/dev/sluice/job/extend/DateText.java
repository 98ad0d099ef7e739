package dev.sluice.job.extend;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A date-time output pattern of {@code date_format} and {@code from_unixtime}. A pattern of date fields
 * only ({@code yyyy-MM-dd}, the usual partition day) renders the same text for every record of a day,
 * and logs arrive a few days at most in flight: the texts of the last {@link #DAYS} days are kept and
 * reused instead of formatting every record. Bound per function instance, used by one thread.
 */
final class DateText {
    private static final int DAYS = 4;
    /** Pattern letters whose value depends on the date alone (ISO chronology, fixed locale). */
    private static final String DATE_LETTERS = "GuyDMLdQqE";

    private final DateTimeFormatter formatter;
    private final boolean dateOnly;
    private final LocalDate[] days = new LocalDate[DAYS];
    private final TextNode[] texts = new TextNode[DAYS];
    private int next;

    private DateText(DateTimeFormatter formatter, boolean dateOnly) {
        this.formatter = formatter;
        this.dateOnly = dateOnly;
    }

    /** @throws IllegalArgumentException naming the pattern when it is not a valid pattern */
    static DateText of(String pattern) {
        try {
            return new DateText(DateTimeFormatter.ofPattern(pattern, Locale.ROOT), dateOnly(pattern));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad date pattern '" + pattern + "': " + e.getMessage(), e);
        }
    }

    TextNode format(LocalDateTime time) {
        if (!dateOnly) {
            return TextNode.valueOf(formatter.format(time));
        }
        LocalDate day = time.toLocalDate();
        for (int i = 0; i < DAYS; i++) {
            if (day.equals(days[i])) {
                return texts[i];
            }
        }
        TextNode text = TextNode.valueOf(formatter.format(day));
        days[next] = day;
        texts[next] = text;
        next = (next + 1) % DAYS;
        return text;
    }

    /** True when every pattern letter outside quotes is a date field. */
    static boolean dateOnly(String pattern) {
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) && DATE_LETTERS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}

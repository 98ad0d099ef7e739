package dev.sluice.job.extend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DateTextTest {

    @Test
    void tellsDateOnlyPatternsFromPatternsWithTimeFields() {
        assertThat(DateText.dateOnly("yyyy-MM-dd")).isTrue();
        assertThat(DateText.dateOnly("'day' d MMM uuuu, EEE")).isTrue();
        assertThat(DateText.dateOnly("yyyy-MM-dd'T'")).isTrue();
        assertThat(DateText.dateOnly("yyyy-MM-dd HH")).isFalse();
        assertThat(DateText.dateOnly("'at' mm")).isFalse();
        assertThat(DateText.dateOnly("YYYY-ww")).isFalse();
    }

    @Test
    void rendersWhatTheFormatterRendersForRecordsOfManyDaysInAnyOrder() {
        Random random = new Random(7);
        for (String pattern : new String[] {"yyyy-MM-dd", "yyyyMMdd", "'day' d MMM uuuu, EEE", "yyyy-MM-dd HH:mm"}) {
            DateText text = DateText.of(pattern);
            DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
            LocalDateTime start = LocalDateTime.of(2026, 11, 20, 0, 0);
            for (int i = 0; i < 20_000; i++) {
                // Mostly a handful of days in flight, now and then one from far away.
                long minutes = i % 50 == 0 ? random.nextInt(5_000_000) : random.nextInt(7 * 24 * 60);
                LocalDateTime time = start.plusMinutes(minutes).plusSeconds(random.nextInt(60));

                assertThat(text.format(time).textValue()).as("%s of %s", pattern, time).isEqualTo(formatter.format(time));
            }
        }
    }

    @Test
    void namesABadPattern() {
        assertThatThrownBy(() -> DateText.of("yyyy-MM-dd{"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad date pattern 'yyyy-MM-dd{'");
    }
}

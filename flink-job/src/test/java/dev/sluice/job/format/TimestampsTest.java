package dev.sluice.job.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The formatter-free ISO path must read exactly what the formatter reads, and leave the rest to it. */
class TimestampsTest {
    private static final String[] DATES = {"2026-11-23", "2024-02-29", "2026-02-29", "2026-13-01", "0000-01-01",
        "2026-1-23", "20261123", "2026/11/23"};
    private static final String[] SEPARATORS = {"T", "t", " ", "", "TT", "T "};
    private static final String[] TIMES = {"10:00", "10:00:01", "23:59:59", "24:00:00", "10:60:00", "10:00:60",
        "9:00:00", "10:00:01.1", "10:00:01.123", "10:00:01.123456", "10:00:01.123456789", "10:00:01.1234567891",
        "10:00:01.", "10:00:01,5", ""};
    private static final String[] ZONES = {"", "Z", "z", "+02:00", "-05:30", "+00:00", "+18:00", "+18:30", "+19:00",
        "+0200", "+02", "+02:00:30", "-00:60", " Z", "UTC"};

    @Test
    void commonLayoutsReadAsTheFormatterReadsThem() {
        List<String> texts = new ArrayList<>();
        for (String date : DATES) {
            for (String separator : SEPARATORS) {
                for (String time : TIMES) {
                    for (String zone : ZONES) {
                        texts.add(date + separator + time + zone);
                    }
                }
            }
        }
        int fast = 0;
        for (String text : texts) {
            LocalDateTime viaFormatter = viaFormatter(text);
            LocalDateTime direct = Timestamps.parseCommonIso(text);
            if (direct != null) {
                fast++;
                assertThat(direct).as(text).isEqualTo(viaFormatter);
            }
        }
        assertThat(Timestamps.parseCommonIso("2026-11-23T10:00:01.123456789+02:00"))
                .isEqualTo(LocalDateTime.of(2026, 11, 23, 8, 0, 1, 123_456_000));
        assertThat(Timestamps.parseCommonIso("2024-02-29 23:59")).isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59));
        assertThat(Timestamps.parseCommonIso("2026-11-23")).isEqualTo(LocalDateTime.of(2026, 11, 23, 0, 0));
        // 3 valid dates x 3 separators x 7 valid times x 7 handled zones, plus the 3 dates alone (no
        // separator, time or zone).
        assertThat(fast).isEqualTo(3 * 3 * 7 * 7 + 3);
    }

    @Test
    void randomTextNeverReadsDifferently() {
        Random random = new Random(3);
        String alphabet = "0123456789-:.TZ+ ";
        for (int round = 0; round < 50_000; round++) {
            StringBuilder text = new StringBuilder("2026-11-23T10:00:01.5Z");
            for (int edits = random.nextInt(3); edits >= 0; edits--) {
                int at = random.nextInt(text.length());
                text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
            LocalDateTime direct = Timestamps.parseCommonIso(text.toString());
            if (direct != null) {
                assertThat(direct).as(text.toString()).isEqualTo(viaFormatter(text.toString()));
            }
        }
    }

    /** The formatter path: {@link Timestamps#parse} for text the fast path leaves alone, null on failure. */
    private static LocalDateTime viaFormatter(String text) {
        try {
            return Timestamps.parseWithFormatter(text);
        } catch (ConversionException e) {
            return null;
        }
    }
}

package dev.sluice.job.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.FilterConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordFilterTest {
    private static byte[] line(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void excludeWinsOverIncludeAndEmptyIncludeTakesEverything() {
        KeywordFilter filter = new KeywordFilter(new FilterConfig(List.of("[login]", "[logout]"), List.of("test-")));

        assertThat(filter.test(line("2026-11-23 10:00:01 [login] {\"server\":\"s1\"}"))).isEqualTo(KeywordFilter.Verdict.ACCEPT);
        assertThat(filter.test(line("2026-11-23 10:00:01 [logout] {}"))).isEqualTo(KeywordFilter.Verdict.ACCEPT);
        assertThat(filter.test(line("2026-11-23 10:00:01 [payment] {}"))).isEqualTo(KeywordFilter.Verdict.NOT_INCLUDED);
        assertThat(filter.test(line("2026-11-23 10:00:01 [login] {\"server\":\"test-1\"}"))).isEqualTo(KeywordFilter.Verdict.EXCLUDED);
        assertThat(new KeywordFilter(FilterConfig.NONE).test(line(""))).isEqualTo(KeywordFilter.Verdict.ACCEPT);
    }

    @Test
    void matchesMultiByteKeywordsAndEdges() {
        KeywordFilter filter = new KeywordFilter(new FilterConfig(List.of("登录"), List.of()));

        assertThat(filter.test(line("事件=登录"))).isEqualTo(KeywordFilter.Verdict.ACCEPT);
        assertThat(KeywordFilter.indexOf(line("abc"), line("bc"))).isEqualTo(1);
        assertThat(KeywordFilter.indexOf(line("ab"), line("abc"))).isEqualTo(-1);
    }
}

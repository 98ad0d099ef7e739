package dev.sluice.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.ParserConfig;
import dev.sluice.core.config.ParserType;
import dev.sluice.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

class RecordParsersTest {
    private static ParseResult parse(ParserConfig config, String line) {
        return RecordParsers.create(config).parse(new RawLine(line.getBytes(StandardCharsets.UTF_8)));
    }

    private static ParserConfig csv(String delimiter, String... fields) {
        return new ParserConfig(ParserType.CSV, null, delimiter, List.of(fields));
    }

    @Test
    void csvHandlesQuotesEmbeddedDelimitersAndDoubledQuotes() {
        ParseResult result = parse(csv(";", "id", "msg", "n"), "1;\"a;b \"\"q\"\"\";");

        assertThat(result.fields().toString()).isEqualTo("{\"id\":\"1\",\"msg\":\"a;b \\\"q\\\"\",\"n\":\"\"}");
    }

    @Test
    void csvWithMissingOrExtraFieldsIsInvalid() {
        assertThat(parse(csv(",", "a", "b", "c"), "1,2").message()).isEqualTo("CSV line has 2 fields, expected 3");
        assertThat(parse(csv(",", "a"), "1,2").code()).isEqualTo(ErrorCode.INVALID_CSV);
        assertThat(parse(csv(",", "a", "b"), "\"open,2").code()).isEqualTo(ErrorCode.INVALID_CSV);
    }

    @Test
    void regexMapsSnakeCaseGroupsAndGrok() {
        ParserConfig config = new ParserConfig(ParserType.REGEX, "%{IP:remote_addr} (?<status_code>\\d+)(?: (?<extra>\\w+))?", null, null);

        assertThat(parse(config, "1.2.3.4 200").fields().toString())
                .isEqualTo("{\"remote_addr\":\"1.2.3.4\",\"status_code\":\"200\"}");
        assertThat(parse(config, "1.2.3.4 two hundred").code()).isEqualTo(ErrorCode.PATTERN_MISMATCH);
    }

    @Test
    void invalidUtf8IsAnEncodingErrorForTextParsers() {
        ParserConfig config = new ParserConfig(ParserType.REGEX, "(?<all>.*)", null, null);
        ParseResult result = RecordParsers.create(config).parse(new RawLine(new byte[] {(byte) 0xC3, (byte) 0x28}));

        assertThat(result.code()).isEqualTo(ErrorCode.INVALID_ENCODING);
    }

    @Test
    void headerJsonMergesHeaderGroupsWithNonAsciiBody() {
        ParserConfig config = new ParserConfig(ParserType.HEADER_JSON, "(?<time>\\S+ \\S+) \\[(?<event>\\w+)] ", null, null);

        ParseResult ok = parse(config, "2026-11-23 10:00:01 [login] {\"name\":\"玩家\",\"level\":7}");
        ParseResult badBody = parse(config, "2026-11-23 10:00:01 [login] {\"name\":");

        assertThat(ok.fields().toString())
                .isEqualTo("{\"name\":\"玩家\",\"level\":7,\"time\":\"2026-11-23 10:00:01\",\"event\":\"login\"}");
        assertThat(badBody.code()).isEqualTo(ErrorCode.INVALID_JSON);
    }

    @Test
    void jsonRejectsNonObjectsAndTrailingGarbage() {
        ParserConfig json = new ParserConfig(ParserType.JSON, null, null, null);

        assertThat(parse(json, "[1,2]").message()).isEqualTo("expected a JSON object, got array");
        assertThat(parse(json, "{\"a\":1} x").code()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(parse(json, "").message()).isEqualTo("expected a JSON object, got empty input");
    }

    @Test
    void debeziumSnapshotReadIsAnInsertAndUnknownOpIsInvalid() {
        ParserConfig debezium = new ParserConfig(ParserType.DEBEZIUM_JSON, null, null, null);

        ParseResult read = parse(debezium, "{\"after\":{\"id\":1},\"op\":\"r\",\"ts_ms\":5,\"source\":{\"db\":\"shop\",\"table\":\"orders\"}}");
        ParseResult truncate = parse(debezium, "{\"op\":\"t\"}");

        assertThat(read.kind()).isEqualTo(RowKind.INSERT);
        assertThat(read.fields().toString())
                .isEqualTo("{\"id\":1,\"__op\":\"r\",\"__ts_ms\":5,\"__db\":\"shop\",\"__table\":\"orders\"}");
        assertThat(truncate.code()).isEqualTo(ErrorCode.INVALID_CHANGE_EVENT);
        assertThat(truncate.message()).isEqualTo("not a Debezium change event: unknown or missing op 't', expected c, r, u or d");
    }

    /**
     * A "words" pattern with bounded repetition backtracks catastrophically on a word that ends in a
     * character it cannot match. ({@code (a+)+$} itself no longer does on JDK 9+, which memoizes unbounded
     * group loops; bounded ones like {@code {1,40}} are not memoized.) Unbudgeted, this line would run for
     * years.
     */
    static final String CATASTROPHIC = "ACCESS (?<words>(\\w+\\s?){1,40})$";
    static final String BACKTRACKING_LINE = "ACCESS " + "a".repeat(64) + "!";

    @Test
    void catastrophicBacktrackingIsAParseTimeoutWithinTheBudgetAndTheParserStaysUsable() {
        RecordParser parser = RecordParsers.create(new ParserConfig(ParserType.REGEX, CATASTROPHIC, null, null, 50L));

        long start = System.nanoTime();
        ParseResult result = parser.parse(line(BACKTRACKING_LINE));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.code()).isEqualTo(ErrorCode.PARSE_TIMEOUT);
        assertThat(result.message()).contains("50 ms").contains("time-budget-ms");
        // CPU time can only lag wall time; the generous bound is for a loaded machine.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(50)).isLessThan(Duration.ofSeconds(5));
        assertThat(parser.parse(line("ACCESS alice bob")).fields().toString())
                .isEqualTo("{\"words\":\"alice bob\"}");
        assertThat(parser.parse(line("ACCESS alice!")).code()).isEqualTo(ErrorCode.PATTERN_MISMATCH);
    }

    @Test
    void headerPatternHasTheSameBudget() {
        ParserConfig config = new ParserConfig(ParserType.HEADER_JSON, "(?<words>(\\w+\\s?){1,40}) \\{", null, null, 20L);

        assertThat(RecordParsers.create(config).parse(line("a".repeat(64) + "! {\"x\":1}")).code())
                .isEqualTo(ErrorCode.PARSE_TIMEOUT);
    }

    @Test
    void aMegabyteLineWithinTheDefaultBudgetIsParsedNotTimedOut() {
        RecordParser parser = RecordParsers.create(new ParserConfig(ParserType.REGEX,
                "%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} (?<msg>.*)", null, null));
        String msg = "x ".repeat(500_000);

        ParseResult result = parser.parse(line("2026-11-23T10:00:00Z INFO " + msg));

        assertThat(result.isOk()).as("%s", result.message()).isTrue();
        assertThat(result.fields().get("msg").asText()).hasSize(1_000_000);
    }

    @Test
    void deepJsonNestingIsInvalidJsonNotAStackOverflow() {
        String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);

        ParseResult result = parse(new ParserConfig(ParserType.JSON, null, null, null), deep);

        assertThat(result.code()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(result.message()).contains("nesting depth");
    }

    @Test
    void invalidUtf8InsideAJsonStringIsAnEncodingError() {
        byte[] head = "{\"id\":\"e-1\",\"msg\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(head, head.length + 4);
        bytes[head.length] = (byte) 0xC3;
        bytes[head.length + 1] = (byte) 0x28;
        bytes[head.length + 2] = '"';
        bytes[head.length + 3] = '}';

        ParseResult result = RecordParsers.create(new ParserConfig(ParserType.JSON, null, null, null))
                .parse(new RawLine(bytes));

        assertThat(result.code()).isEqualTo(ErrorCode.INVALID_ENCODING);
    }

    private static RawLine line(String text) {
        return new RawLine(text.getBytes(StandardCharsets.UTF_8));
    }
}

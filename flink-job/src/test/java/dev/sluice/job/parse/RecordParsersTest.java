package dev.sluice.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.ParserConfig;
import dev.sluice.core.config.ParserType;
import dev.sluice.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
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
}

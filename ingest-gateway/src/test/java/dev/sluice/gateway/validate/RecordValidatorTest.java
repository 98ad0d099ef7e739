package dev.sluice.gateway.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.record.IngestErrorCode;
import dev.sluice.core.record.LogKind;
import dev.sluice.gateway.config.IngestSource;
import dev.sluice.gateway.config.SourceFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RecordValidatorTest {
    private static final Pattern OPS_HEADER =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\[[a-z_]+\\] ");

    private static RecordValidator validator(LogKind kind, SourceFormat format, Optional<String> keyField) {
        return new RecordValidator(new IngestSource("s", kind, format, "t", keyField,
                kind == LogKind.OPS ? Optional.of(OPS_HEADER) : Optional.empty(), 64, 1024, 8, Optional.empty()));
    }

    private static final RecordValidator JSON = validator(LogKind.PROGRAM, SourceFormat.JSON, Optional.of("user"));
    private static final RecordValidator OPS = validator(LogKind.OPS, SourceFormat.TEXT, Optional.empty());
    private static final RecordValidator TEXT = validator(LogKind.BUSINESS, SourceFormat.TEXT, Optional.empty());

    private static Verdict check(RecordValidator validator, byte[] bytes) {
        return validator.check(bytes, bytes.length, bytes.length);
    }

    private static Verdict check(RecordValidator validator, String text) {
        return check(validator, text.getBytes(StandardCharsets.UTF_8));
    }

    private static IngestErrorCode code(Verdict verdict) {
        return verdict instanceof Verdict.Rejected r ? r.code() : null;
    }

    @Test
    void validJsonObjectsYieldTheKeyField() {
        assertThat(check(JSON, "{\"user\":\"ann\",\"n\":{\"user\":\"nested\"}}")).isEqualTo(new Verdict.Valid("ann"));
        assertThat(check(JSON, "{\"n\":{\"user\":\"nested\"},\"user\":42}")).isEqualTo(new Verdict.Valid("42"));
        assertThat(check(JSON, "{\"user\":{\"id\":1},\"x\":1}")).isEqualTo(new Verdict.Valid(null));
        assertThat(check(JSON, " {} ")).isEqualTo(new Verdict.Valid(null));
    }

    @Test
    void jsonProblemsAreInvalidJson() {
        assertThat(code(check(JSON, "{\"a\":"))).isEqualTo(IngestErrorCode.INVALID_JSON);
        assertThat(code(check(JSON, "[1]"))).isEqualTo(IngestErrorCode.INVALID_JSON);
        assertThat(code(check(JSON, "{} {}"))).isEqualTo(IngestErrorCode.INVALID_JSON);
        assertThat(code(check(JSON, "{\"a\":\"tab\there\"}"))).isEqualTo(IngestErrorCode.INVALID_JSON);
        Verdict deep = check(JSON, "{\"a\":" + "[".repeat(20) + "]".repeat(20) + "}");
        assertThat(deep).isInstanceOfSatisfying(Verdict.Rejected.class,
                r -> assertThat(r.message()).contains("deeper than 8"));
    }

    @Test
    void utf8IsStrict() {
        assertThat(code(check(TEXT, new byte[] {'a', (byte) 0xC3, (byte) 0xA9}))).isNull();
        assertThat(code(check(TEXT, new byte[] {'a', (byte) 0xFF}))).isEqualTo(IngestErrorCode.INVALID_UTF8);
        assertThat(code(check(TEXT, new byte[] {(byte) 0xC0, (byte) 0x80}))).isEqualTo(IngestErrorCode.INVALID_UTF8);
        assertThat(code(check(TEXT, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))).isEqualTo(IngestErrorCode.INVALID_UTF8);
        assertThat(code(check(TEXT, new byte[] {'a', (byte) 0xE2, (byte) 0x82}))).isEqualTo(IngestErrorCode.INVALID_UTF8);
        assertThat(code(check(TEXT, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}))).isNull();
    }

    @Test
    void nulAndSizeAreCheckedForEveryKind() {
        assertThat(code(check(TEXT, "a\u0000b"))).isEqualTo(IngestErrorCode.NUL_BYTE);
        assertThat(code(TEXT.check(new byte[65], 65, 65))).isEqualTo(IngestErrorCode.RECORD_TOO_LARGE);
        assertThat(code(TEXT.check("x".repeat(64).getBytes(StandardCharsets.UTF_8), 64, 64))).isNull();
    }

    @Test
    void opsLinesNeedTheHeaderThenAJsonObject() {
        assertThat(check(OPS, "2026-11-23 10:00:01 [login] {\"role\":{\"id\":42}}")).isEqualTo(new Verdict.Valid(null));
        assertThat(code(check(OPS, "2026-11-23 10:00:01 [Login] {}"))).isEqualTo(IngestErrorCode.HEADER_MISMATCH);
        assertThat(code(check(OPS, "{\"role\":1}"))).isEqualTo(IngestErrorCode.HEADER_MISMATCH);
        assertThat(code(check(OPS, "2026-11-23 10:00:01 [login] not json"))).isEqualTo(IngestErrorCode.INVALID_JSON);
    }

    /** The plain-object fast path takes the common record, and leaves escaped or deep ones to Jackson. */
    @Test
    void theFastPathTakesPlainObjectsOnly() {
        byte[] key = "user".getBytes(StandardCharsets.UTF_8);
        byte[] plain = "{\"ts\":\"2026-11-23T10:00:00Z\",\"user\":\"ann\",\"n\":[1,-2.5e3,true,null,{}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(JsonPrecheck.valid(plain, 0, plain.length, key, 8)).isEqualTo(new Verdict.Valid("ann"));
        byte[] escapedKey = "{\"us\\u0065r\":\"ann\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonPrecheck.valid(escapedKey, 0, escapedKey.length, key, 8)).isNull();
        assertThat(check(JSON, escapedKey)).isEqualTo(new Verdict.Valid("ann"));
        byte[] atLimit = ("{\"a\":" + "[".repeat(7) + "]".repeat(7) + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(JsonPrecheck.valid(atLimit, 0, atLimit.length, key, 8)).isNull();
        assertThat(check(JSON, atLimit)).isEqualTo(new Verdict.Valid(null));
    }

    /**
     * Differential check: on valid records, near-misses and random fragments, the validator (fast path first)
     * gives exactly the verdict Jackson alone gives, message included.
     */
    @Test
    void theFastPathAgreesWithJacksonOnEveryInput() {
        List<String> seeds = List.of("{\"user\":\"ann\",\"n\":{\"user\":\"nested\"}}", "{\"user\":-0}",
                "{\"user\":1E5,\"user\":2}", "{\"user\":null,\"user\":\"late\"}", "{\"user\":1.50e+01}",
                "{\"user\":true}", "{\"user\":[1],\"user\":false}", " {\"a\":\"\\u00e9\\n\\\"\",\"user\":\"\u00e9\u4e2d\"} ",
                "{\"a\":[[[[[[1]]]]]],\"b\":{}}", "{\"a\":[],\"b\":[{},{\"c\":\"d\"}]}", "{\"user\":\"a\\/b\"}");
        String alphabet = "{}[]:,\"\\ \t\r-+.0129eEtrufalsn\u00e9user/bx";
        Random random = new Random(11);
        List<String> inputs = new ArrayList<>(seeds);
        for (String seed : seeds) {
            for (int i = 0; i < seed.length(); i++) {
                inputs.add(seed.substring(0, i));
                inputs.add(seed.substring(0, i) + seed.substring(i + 1));
                for (int k = 0; k < 3; k++) {
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    inputs.add(seed.substring(0, i) + c + seed.substring(i + 1));
                    inputs.add(seed.substring(0, i) + c + seed.substring(i));
                }
            }
        }
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder("{");
            for (int k = random.nextInt(24); k > 0; k--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            inputs.add(text.toString());
        }
        int fast = 0;
        for (String input : inputs) {
            byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
            Verdict expected = JSON.checkWithJackson(bytes, 0, bytes.length);
            assertThat(check(JSON, bytes)).as(input).isEqualTo(expected);
            if (JsonPrecheck.valid(bytes, 0, bytes.length, "user".getBytes(StandardCharsets.UTF_8), 8) != null) {
                fast++;
            }
        }
        assertThat(fast).as("inputs the fast path decided").isGreaterThan(100);
    }
}

package dev.sluice.gateway.validate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.sluice.core.record.IngestErrorCode;
import dev.sluice.core.record.LogKind;
import dev.sluice.gateway.config.IngestSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;

/**
 * Checks one record of a source, in the order a client most needs to hear about: size, UTF-8, NUL
 * bytes, the ops header, then JSON well-formedness. JSON is checked with a streaming parser (no tree),
 * under the source's nesting limit.
 */
public final class RecordValidator {
    private static final int MAX_MESSAGE_CHARS = 200;

    private final IngestSource source;
    private final JsonFactory jsonFactory;
    private final byte[] keyFieldUtf8;

    public RecordValidator(IngestSource source) {
        this.source = source;
        this.jsonFactory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(source.maxJsonDepth()).build())
                .build();
        this.keyFieldUtf8 = source.keyField().map(key -> key.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** The factory body readers use for {@code application/json} documents, with the same nesting limit. */
    public JsonFactory jsonFactory() {
        return jsonFactory;
    }

    /**
     * @param bytes the record, possibly truncated to the per-record limit
     * @param length bytes of {@code bytes} that belong to the record
     * @param fullSize the record's size before truncation
     */
    public Verdict check(byte[] bytes, int length, long fullSize) {
        if (fullSize > source.maxRecordBytes()) {
            return new Verdict.Rejected(IngestErrorCode.RECORD_TOO_LARGE, "record is " + fullSize
                    + " bytes, the limit of source " + source.name() + " is " + source.maxRecordBytes());
        }
        if (!Utf8.isAsciiWithoutNul(bytes, 0, length)) {
            int invalid = Utf8.firstInvalid(bytes, 0, length);
            if (invalid >= 0) {
                return new Verdict.Rejected(IngestErrorCode.INVALID_UTF8, "invalid UTF-8 at byte " + invalid);
            }
            int nul = Utf8.firstNul(bytes, 0, length);
            if (nul >= 0) {
                return new Verdict.Rejected(IngestErrorCode.NUL_BYTE, "NUL byte at offset " + nul);
            }
        }
        int jsonFrom = 0;
        if (source.kind() == LogKind.OPS) {
            String line = new String(bytes, 0, length, StandardCharsets.UTF_8);
            Matcher header = source.headerPattern().orElseThrow().matcher(line);
            if (!header.lookingAt()) {
                return new Verdict.Rejected(IngestErrorCode.HEADER_MISMATCH, "line does not start with the header "
                        + "pattern of source " + source.name() + ": " + source.headerPattern().get().pattern());
            }
            jsonFrom = utf8Length(line, header.end());
        }
        if (!source.jsonRecords()) {
            return Verdict.Valid.WITHOUT_KEY;
        }
        return checkJsonObject(bytes, jsonFrom, length);
    }

    private Verdict checkJsonObject(byte[] bytes, int from, int to) {
        Verdict.Valid plain = JsonPrecheck.valid(bytes, from, to, keyFieldUtf8, source.maxJsonDepth());
        if (plain != null) {
            return plain;
        }
        return checkWithJackson(bytes, from, to);
    }

    /** The full check, and the one that words every rejection. */
    Verdict checkWithJackson(byte[] bytes, int from, int to) {
        String keyField = source.keyField().orElse(null);
        String keyValue = null;
        try (JsonParser parser = jsonFactory.createParser(bytes, from, to - from)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                return new Verdict.Rejected(IngestErrorCode.INVALID_JSON, token == null
                        ? "no JSON object" : "expected a JSON object, found " + describe(token));
            }
            int depth = 1;
            while (depth > 0) {
                token = parser.nextToken();
                if (token == null) {
                    return new Verdict.Rejected(IngestErrorCode.INVALID_JSON, "truncated JSON object");
                }
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                } else if (depth == 1 && token == JsonToken.FIELD_NAME && keyValue == null
                        && parser.currentName().equals(keyField)) {
                    JsonToken value = parser.nextToken();
                    if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                        keyValue = parser.getText();
                    } else if (value.isStructStart()) {
                        depth++;
                    }
                }
            }
            if (parser.nextToken() != null) {
                return new Verdict.Rejected(IngestErrorCode.INVALID_JSON, "content after the JSON object");
            }
        } catch (StreamConstraintsException e) {
            return new Verdict.Rejected(IngestErrorCode.INVALID_JSON, "JSON nests deeper than "
                    + source.maxJsonDepth() + " levels (limit of source " + source.name() + ")");
        } catch (JsonProcessingException e) {
            return new Verdict.Rejected(IngestErrorCode.INVALID_JSON, clip(e.getOriginalMessage()));
        } catch (IOException e) {
            return new Verdict.Rejected(IngestErrorCode.INVALID_JSON, clip(String.valueOf(e.getMessage())));
        }
        return keyValue == null ? Verdict.Valid.WITHOUT_KEY : new Verdict.Valid(keyValue);
    }

    static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    static String clip(String message) {
        String oneLine = message.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_MESSAGE_CHARS ? oneLine : oneLine.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    private static int utf8Length(String text, int chars) {
        int bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}

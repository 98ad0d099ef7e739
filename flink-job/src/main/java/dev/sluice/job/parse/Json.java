package dev.sluice.job.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.ErrorCode;
import java.io.IOException;
import java.util.Locale;

/** Jackson tree reading shared by the JSON-based parsers; the reader is immutable and thread-safe. */
public final class Json {
    /** Node factory for values built by parsers and functions (exact decimals are not needed for logs). */
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final ObjectReader READER = new ObjectMapper()
            // "{...} garbage" is a broken line, not a record.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .reader();

    private Json() {
    }

    /**
     * Reads a JSON object from {@code bytes[offset, offset+length)}. Bytes that are not UTF-8 (even inside
     * an otherwise well-formed string) are {@code INVALID_ENCODING}, as for the text parsers.
     */
    public static ParseResult object(byte[] bytes, int offset, int length) {
        try {
            return asObject(READER.readTree(bytes, offset, length));
        } catch (IOException e) {
            if (!RawLine.isUtf8(bytes, offset, length)) {
                return ParseResult.failed(ErrorCode.INVALID_ENCODING, "line is not valid UTF-8", e);
            }
            return invalid(e);
        }
    }

    /** Reads a JSON object from text. */
    public static ParseResult object(String text) {
        try {
            return asObject(READER.readTree(text));
        } catch (JsonProcessingException e) {
            return invalid(e);
        }
    }

    /** Reads any JSON value from text, throwing on malformed input (for functions such as json_path). */
    public static JsonNode tree(String text) throws JsonProcessingException {
        return READER.readTree(text);
    }

    private static ParseResult invalid(IOException e) {
        String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return ParseResult.failed(ErrorCode.INVALID_JSON, "not valid JSON: " + reason, e);
    }

    private static ParseResult asObject(JsonNode node) {
        if (node instanceof ObjectNode object) {
            return ParseResult.ok(object);
        }
        String what = node == null || node.isMissingNode() ? "empty input" : node.getNodeType().name().toLowerCase(Locale.ROOT);
        return ParseResult.failed(ErrorCode.INVALID_JSON, "expected a JSON object, got " + what, null);
    }
}

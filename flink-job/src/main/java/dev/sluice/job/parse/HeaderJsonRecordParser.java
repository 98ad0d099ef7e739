package dev.sluice.job.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;

/**
 * {@code header-json}: a text header matched by the pattern at the start of the line, then a JSON object.
 * Header groups become text fields next to the body's members (a body member of the same name wins over
 * nothing: header fields are set last, so the header is authoritative). A header match that outlasts the
 * time budget is a {@code PARSE_TIMEOUT} error.
 */
final class HeaderJsonRecordParser implements RecordParser {
    private final FieldPattern header;
    private final long budgetNanos;

    HeaderJsonRecordParser(String regex, Duration budget) {
        this.header = FieldPattern.compile(regex);
        this.budgetNanos = budget.toNanos();
    }

    @Override
    public ParseResult parse(RawLine line) {
        String text = line.text();
        if (text == null) {
            return ParseResult.failed(ErrorCode.INVALID_ENCODING, "line is not valid UTF-8", null);
        }
        Matcher m = header.matcher(text, budgetNanos);
        try {
            if (!m.lookingAt()) {
                return ParseResult.failed(ErrorCode.PATTERN_MISMATCH, "line does not start with the header pattern",
                        null);
            }
        } catch (BudgetedText.Exceeded e) {
            return ParseResult.timedOut(budgetNanos);
        }
        ParseResult body = bodyOf(line, text, m.end());
        if (!body.isOk()) {
            return body;
        }
        ObjectNode fields = body.fields();
        header.copyGroups(m, fields);
        return body;
    }

    /** Reads the body from the bytes when the header is ASCII (the usual case), saving a string copy. */
    private static ParseResult bodyOf(RawLine line, String text, int charEnd) {
        byte[] bytes = line.bytes();
        if (bytes.length == text.length()) {
            return Json.object(bytes, charEnd, bytes.length - charEnd);
        }
        byte[] head = text.substring(0, charEnd).getBytes(StandardCharsets.UTF_8);
        return Json.object(bytes, head.length, bytes.length - head.length);
    }
}

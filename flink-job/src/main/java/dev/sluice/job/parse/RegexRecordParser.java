package dev.sluice.job.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.ErrorCode;
import java.time.Duration;
import java.util.regex.Matcher;

/**
 * {@code regex}: the whole line must match the pattern; each named group becomes a text field (groups
 * that did not take part in the match are absent). A line whose match outlasts the time budget is a
 * {@code PARSE_TIMEOUT} error instead of a stalled task.
 */
final class RegexRecordParser implements RecordParser {
    private final FieldPattern pattern;
    private final long budgetNanos;

    RegexRecordParser(String regex, Duration budget) {
        this.pattern = FieldPattern.compile(regex);
        this.budgetNanos = budget.toNanos();
    }

    @Override
    public ParseResult parse(RawLine line) {
        String text = line.text();
        if (text == null) {
            return ParseResult.failed(ErrorCode.INVALID_ENCODING, "line is not valid UTF-8", null);
        }
        Matcher m = pattern.matcher(text, budgetNanos);
        try {
            if (!m.matches()) {
                return ParseResult.failed(ErrorCode.PATTERN_MISMATCH, "line does not match the parser pattern", null);
            }
        } catch (BudgetedText.Exceeded e) {
            return ParseResult.timedOut(budgetNanos);
        }
        ObjectNode fields = Json.NODES.objectNode();
        pattern.copyGroups(m, fields);
        return ParseResult.ok(fields);
    }
}

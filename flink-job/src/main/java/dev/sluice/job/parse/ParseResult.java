package dev.sluice.job.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.ErrorCode;
import org.apache.flink.types.RowKind;

/**
 * What a parser made of a line: named fields and the change kind, or a typed failure that becomes an
 * error record. Parsers return failures instead of throwing so the caller decides what a failure means
 * when several tables share the topic.
 *
 * @param fields  parsed fields (null on failure); owned by the engine, never mutated after parsing
 * @param kind    INSERT, or UPDATE_AFTER/DELETE for change events
 * @param code    failure code (null on success)
 * @param message failure reason
 * @param cause   exception behind the failure, or null
 */
public record ParseResult(ObjectNode fields, RowKind kind, ErrorCode code, String message, Throwable cause) {

    public static ParseResult ok(ObjectNode fields) {
        return new ParseResult(fields, RowKind.INSERT, null, null, null);
    }

    public static ParseResult ok(ObjectNode fields, RowKind kind) {
        return new ParseResult(fields, kind, null, null, null);
    }

    public static ParseResult failed(ErrorCode code, String message, Throwable cause) {
        return new ParseResult(null, null, code, message, cause);
    }

    /** A pattern that spent its whole time budget on the line (see {@link BudgetedText}). */
    static ParseResult timedOut(long budgetNanos) {
        return failed(ErrorCode.PARSE_TIMEOUT, "pattern did not finish within its time budget of "
                + budgetNanos / 1_000_000 + " ms (parser.time-budget-ms): the line makes it backtrack", null);
    }

    public boolean isOk() {
        return code == null;
    }
}

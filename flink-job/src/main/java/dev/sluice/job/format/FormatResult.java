package dev.sluice.job.format;

import dev.sluice.core.error.ErrorCode;
import org.apache.flink.table.data.RowData;

/**
 * A formatted row, or the typed reason it could not be formatted ({@code TYPE_CONVERSION} or
 * {@code MISSING_REQUIRED_FIELD}, with the column named in the message) for the error stream.
 */
public record FormatResult(RowData row, ErrorCode code, String message) {

    static FormatResult ok(RowData row) {
        return new FormatResult(row, null, null);
    }

    static FormatResult failed(ErrorCode code, String message) {
        return new FormatResult(null, code, message);
    }

    public boolean isOk() {
        return row != null;
    }
}

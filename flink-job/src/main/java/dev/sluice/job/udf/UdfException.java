package dev.sluice.job.udf;

import dev.sluice.core.error.ErrorCode;

/** A Python UDF call failed; {@link #code()} is the error code of the record's error row. */
public final class UdfException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public UdfException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** {@link ErrorCode#UDF_ERROR} or {@link ErrorCode#UDF_TIMEOUT}. */
    public ErrorCode code() {
        return code;
    }
}

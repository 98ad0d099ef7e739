package dev.sluice.core.error;

/** Why a record became an error record. Stable names: they are stored in the error table and counted in metrics. */
public enum ErrorCode {
    /** The Kafka record could not be read (e.g. missing value). */
    DESERIALIZATION_FAILED(Stage.SOURCE),
    /** The bytes are not valid UTF-8. */
    INVALID_ENCODING(Stage.PARSE),
    /** The body is not well-formed JSON. */
    INVALID_JSON(Stage.PARSE),
    /** A regex or header pattern did not match the line. */
    PATTERN_MISMATCH(Stage.PARSE),
    /**
     * A regex or header pattern spent the parser's time budget ({@code time-budget-ms}) on the line without
     * finishing (catastrophic backtracking); the line is kept as an error instead of stalling the task.
     */
    PARSE_TIMEOUT(Stage.PARSE),
    /** A CSV line could not be split into the configured fields. */
    INVALID_CSV(Stage.PARSE),
    /** A Debezium envelope lacks op/before/after as its op requires. */
    INVALID_CHANGE_EVENT(Stage.PARSE),
    /** A derived field's function failed. */
    EXTENSION_FAILED(Stage.EXTEND),
    /**
     * A Python UDF (preprocess, derived function or postprocess) raised an exception or returned a value
     * of the wrong kind; the message is the last line of the Python traceback ({@code ValueError: …}).
     */
    UDF_ERROR(Stage.EXTEND),
    /**
     * A Python UDF ran past the per-record time budget ({@code udf.time-budget-ms}) and was interrupted;
     * the record is kept as an error instead of stalling the task.
     */
    UDF_TIMEOUT(Stage.EXTEND),
    /** A value could not be converted to its column's logical type. */
    TYPE_CONVERSION(Stage.FORMAT),
    /** A required column has no value. */
    MISSING_REQUIRED_FIELD(Stage.FORMAT),
    /** A routing expression failed to evaluate. */
    ROUTING_FAILED(Stage.SPLIT),
    /** The sink rejected the row. */
    LOAD_FAILED(Stage.LOAD);

    private final Stage stage;

    ErrorCode(Stage stage) {
        this.stage = stage;
    }

    /** The stage this code is raised at. */
    public Stage stage() {
        return stage;
    }
}

package dev.sluice.core.record;

/**
 * Why the ingest gateway refused a record or a request. The names are a contract: they appear in the
 * gateway's HTTP responses ({@code errors[].code}), in the {@link RecordHeaders#ERROR_CODE} header of
 * DLQ records, and in the job's and the backfill's handling of the DLQ.
 *
 * <p>{@link Scope#RECORD} codes concern one record of a batch: the record goes to the DLQ topic and the
 * other records of the request are still produced. {@link Scope#REQUEST} codes refuse the request as a
 * whole: nothing of it is produced anywhere, and the client may retry it unchanged only when
 * {@link #retryable()} says so.
 */
public enum IngestErrorCode {
    /** The record's bytes are not valid UTF-8 (overlong forms and surrogates included). */
    INVALID_UTF8(Scope.RECORD, 400, false),
    /** The record contains a NUL byte, which downstream text formats cannot carry. */
    NUL_BYTE(Scope.RECORD, 400, false),
    /** The record is larger than the source's per-record limit; the DLQ keeps a truncated prefix. */
    RECORD_TOO_LARGE(Scope.RECORD, 413, false),
    /**
     * The record (or, for an {@code application/json} body, the whole document) is not well-formed
     * JSON, is not a JSON object, or nests deeper than the configured limit.
     */
    INVALID_JSON(Scope.RECORD, 400, false),
    /** An {@code ops} record does not start with the source's header pattern. */
    HEADER_MISMATCH(Scope.RECORD, 400, false),

    /** No API key, or a key the gateway does not know. */
    UNAUTHENTICATED(Scope.REQUEST, 401, false),
    /** The API key is valid but not bound to this source. */
    FORBIDDEN(Scope.REQUEST, 403, false),
    /** No source with this name is configured. */
    UNKNOWN_SOURCE(Scope.REQUEST, 404, false),
    /** The body holds no record (empty, or blank lines only). */
    EMPTY_BODY(Scope.REQUEST, 400, false),
    /** {@code Content-Encoding: gzip} was announced but the body is not a valid gzip stream. */
    INVALID_GZIP(Scope.REQUEST, 400, false),
    /** The body (after decompression) is larger than the source's per-request limit. */
    REQUEST_TOO_LARGE(Scope.REQUEST, 413, false),
    /** The content type (or its charset) is not one the source accepts. */
    UNSUPPORTED_MEDIA_TYPE(Scope.REQUEST, 415, false),
    /** A {@code Content-Encoding} other than {@code gzip} or {@code identity}. */
    UNSUPPORTED_ENCODING(Scope.REQUEST, 415, false),
    /** The source is over its configured record rate; retry after the {@code Retry-After} delay. */
    RATE_LIMITED(Scope.REQUEST, 429, true),
    /** The gateway's in-flight request or memory budget is exhausted; retry after {@code Retry-After}. */
    OVERLOADED(Scope.REQUEST, 503, true),
    /**
     * Kafka did not acknowledge the record within the gateway's bounded wait: it must be considered
     * not stored (it may still appear later, so a retry is at-least-once).
     */
    KAFKA_UNAVAILABLE(Scope.REQUEST, 503, true);

    /** Whether a code refuses one record of a batch or the whole request. */
    public enum Scope {
        RECORD, REQUEST
    }

    private final Scope scope;
    private final int httpStatus;
    private final boolean retryable;

    IngestErrorCode(Scope scope, int httpStatus, boolean retryable) {
        this.scope = scope;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    public Scope scope() {
        return scope;
    }

    /**
     * The HTTP status the gateway answers with when this code decides the response: always for
     * {@link Scope#REQUEST} codes; for {@link Scope#RECORD} codes only when no record of the request
     * was valid (a batch with at least one valid record answers 200).
     */
    public int httpStatus() {
        return httpStatus;
    }

    /** Whether sending the same request again later can succeed. */
    public boolean retryable() {
        return retryable;
    }
}

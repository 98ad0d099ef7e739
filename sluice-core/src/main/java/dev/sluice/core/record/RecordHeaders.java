package dev.sluice.core.record;

/**
 * Kafka header names the gateway sets on every raw record (the record value itself is the client's
 * bytes, unchanged). The job reads them to know where a record came from.
 */
public final class RecordHeaders {
    /** Configured source name, e.g. {@code game-ops}. */
    public static final String SOURCE = "sluice-source";
    /** {@link LogKind#wireName()} of the source. */
    public static final String KIND = "sluice-kind";
    /** Epoch milliseconds at which the gateway received the request, as a decimal string. */
    public static final String RECEIVED_AT = "sluice-received-at";
    /** Identifier of the HTTP request that carried the record. */
    public static final String REQUEST_ID = "sluice-request-id";
    /** On DLQ records only: the rejection code. */
    public static final String ERROR_CODE = "sluice-error-code";
    /** On DLQ records only: a human readable rejection reason. */
    public static final String ERROR_MESSAGE = "sluice-error-message";

    private RecordHeaders() {
    }
}

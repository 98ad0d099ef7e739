package dev.sluice.gateway.ingest;

import java.util.List;

/**
 * The JSON answer of {@code POST /v1/logs/{source}}. {@code accepted} counts records Kafka acknowledged
 * on the raw topic; {@code rejected} counts records refused by validation (sent to the DLQ); each
 * error names a record by {@code index}, or the request as a whole by index -1.
 */
public record IngestResponse(long accepted, long rejected, List<RecordError> errors) {

    public record RecordError(int index, String code, String message) {
    }

    static IngestResponse requestError(String code, String message) {
        return new IngestResponse(0, 0, List.of(new RecordError(-1, code, message)));
    }
}

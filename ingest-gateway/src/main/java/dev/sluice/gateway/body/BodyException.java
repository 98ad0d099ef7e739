package dev.sluice.gateway.body;

import dev.sluice.core.record.IngestErrorCode;
import java.io.IOException;

/**
 * Refuses a request as a whole while its body is being read. An {@link IOException} so that it passes
 * unchanged through the JSON parser and the decompressor that sit between the stream and the reader.
 */
public final class BodyException extends IOException {
    private final IngestErrorCode code;

    public BodyException(IngestErrorCode code, String message) {
        super(message, null);
        this.code = code;
    }

    public IngestErrorCode code() {
        return code;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Answered to the client, never logged with a trace: skip the cost of one per refused request.
        return this;
    }
}

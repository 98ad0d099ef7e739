package dev.sluice.gateway.ingest;

import dev.sluice.gateway.metrics.RequestClock;
import java.io.InputStream;

/** What the HTTP layer hands over: the headers that matter, the unread body and the request's clock. */
public record IngestRequest(
        String authorization,
        String apiKey,
        String contentType,
        String contentEncoding,
        long contentLength,
        String requestId,
        InputStream body,
        RequestClock clock) {
}

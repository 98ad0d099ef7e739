package dev.sluice.gateway.ingest;

import java.io.InputStream;

/** What the HTTP layer hands over: the headers that matter and the unread body. */
public record IngestRequest(
        String authorization,
        String apiKey,
        String contentType,
        String contentEncoding,
        long contentLength,
        String requestId,
        InputStream body) {
}

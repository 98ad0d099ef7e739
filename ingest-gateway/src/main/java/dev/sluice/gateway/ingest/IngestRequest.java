package dev.sluice.gateway.ingest;

import dev.sluice.gateway.metrics.RequestClock;
import java.io.InputStream;

/**
 * What the HTTP layer hands over: the headers that matter, the body and the request's clock.
 * {@code bodyInMemory}: the body was read whole on the event loop (a small body) rather than being
 * streamed on a worker thread; it decides how the request is admitted (see {@code InFlightBudget}).
 */
public record IngestRequest(
        String authorization,
        String apiKey,
        String contentType,
        String contentEncoding,
        long contentLength,
        String requestId,
        InputStream body,
        boolean bodyInMemory,
        RequestClock clock) {
}

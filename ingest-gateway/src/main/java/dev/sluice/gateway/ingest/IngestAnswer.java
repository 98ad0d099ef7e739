package dev.sluice.gateway.ingest;

/** Status, body and the headers that depend on the outcome; {@code retryAfterSeconds} is 0 when none. */
public record IngestAnswer(int status, IngestResponse body, long retryAfterSeconds) {
}

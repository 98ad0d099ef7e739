package dev.sluice.gateway.config;

/** How a source's records are shaped, which decides the body types it accepts and how records are checked. */
public enum SourceFormat {
    /** One JSON object per record: {@code application/json} (object or array), NDJSON, or text lines. */
    JSON,
    /** One raw line per record: {@code text/plain} or NDJSON-framed lines. */
    TEXT
}

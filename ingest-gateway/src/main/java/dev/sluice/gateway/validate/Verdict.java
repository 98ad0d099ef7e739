package dev.sluice.gateway.validate;

import dev.sluice.core.record.IngestErrorCode;

/** Outcome of checking one record. */
public sealed interface Verdict {

    /** The record goes to the raw topic; {@code keyValue} is the configured key field's value, or null. */
    record Valid(String keyValue) implements Verdict {
        static final Valid WITHOUT_KEY = new Valid(null);
    }

    /** The record goes to the DLQ with this reason. */
    record Rejected(IngestErrorCode code, String message) implements Verdict {
    }
}

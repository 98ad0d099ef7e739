package dev.sluice.backfill;

import java.util.Locale;

/** What a replay reads ({@code --from}). */
public enum ReplaySource {
    /** The raw topic's records whose ingest time (Kafka timestamp) falls in the partition's window. */
    KAFKA,
    /** The error-table rows of the table and partition day that no earlier replay repaired. */
    ERRORS;

    /** {@code kafka} / {@code errors}, as on the command line and in the summary. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.sluice.core.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Real-time dedup of a stream table: of the rows with equal {@code key} values, the first one is
 * written and the others arriving within {@code within} of it are dropped (reason {@code duplicate}).
 *
 * @param key    columns whose values identify a duplicate, in order
 * @param within how long a key is remembered after its first row (processing time)
 */
public record DedupConfig(List<String> key, Duration within) implements Serializable {

    /** The reason a duplicate is counted under in the SLA drop counters. */
    public static final String DROP_REASON = "duplicate";

    public DedupConfig {
        key = key == null ? List.of() : List.copyOf(key);
    }
}

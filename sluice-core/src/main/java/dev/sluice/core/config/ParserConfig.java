package dev.sluice.core.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How a raw line becomes a record of named values.
 *
 * @param type         parser
 * @param pattern      regex with named groups ({@code regex}), or the header regex ({@code header-json}) whose
 *                     named groups become fields next to the JSON body's
 * @param delimiter    CSV delimiter, default {@code ,}
 * @param fields       CSV field names in order
 * @param timeBudgetMs CPU time one line may spend in the pattern ({@code regex}, {@code header-json}), in ms;
 *                     null for the default {@value #DEFAULT_TIME_BUDGET_MS}
 */
public record ParserConfig(ParserType type, String pattern, String delimiter, List<String> fields, Long timeBudgetMs)
        implements Serializable {
    /**
     * A well-formed pattern matches a log line in microseconds; 100 ms is far above that (no false
     * timeouts on a busy machine, as the budget counts the parsing thread's CPU time) and still bounds a
     * catastrophic-backtracking line to a tenth of a second of a subtask's time.
     */
    public static final long DEFAULT_TIME_BUDGET_MS = 100;
    /** Above a minute a "budget" no longer protects the task from a stalled record. */
    public static final long MAX_TIME_BUDGET_MS = 60_000;

    public ParserConfig(ParserType type,
                        String pattern,
                        String delimiter,
                        List<String> fields,
                        Long timeBudgetMs) {
        this.type = type;
        this.pattern = pattern;
        this.delimiter = delimiter == null ? "," : delimiter;
        this.fields = fields == null ? List.of() : List.copyOf(fields);
        this.timeBudgetMs = timeBudgetMs;
    }

    /** A parser with the default time budget. */
    public ParserConfig(ParserType type, String pattern, String delimiter, List<String> fields) {
        this(type, pattern, delimiter, fields, null);
    }

    /** The time budget in force: the configured one or the default. */
    public Duration timeBudget() {
        return Duration.ofMillis(timeBudgetMs == null ? DEFAULT_TIME_BUDGET_MS : timeBudgetMs);
    }
}

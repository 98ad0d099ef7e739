package dev.sluice.core.sla;

/**
 * Names of the SLA counters: contracts for dashboards, alert rules, the demo summary and tests.
 *
 * <p>Accounting: every raw record a job reads counts once in {@link #RECORDS_IN} of the job (table
 * label {@link #JOB_TABLE}) and ends in exactly one of out (a row in at least one table), dropped (on
 * purpose, with a reason) or errored (in the error table), so {@code in = out + dropped + errored}.
 * Per table, out/dropped/errored count that table's rows, drops and errors.
 */
public final class SlaMetrics {
    public static final String RECORDS_IN = "recordsIn";
    public static final String RECORDS_OUT = "recordsOut";
    public static final String RECORDS_DROPPED = "recordsDropped";
    public static final String RECORDS_ERRORED = "recordsErrored";

    /**
     * Commits a table's rows went into, per subtask: counted when a checkpoint barrier passes and the
     * subtask sent the table rows since the previous one (the sinks commit those rows when that checkpoint
     * completes). A table's commit count is the maximum over subtasks (every subtask that had rows counts the
     * same commit).
     */
    public static final String COMMITS = "commits";

    /**
     * Gauge, epoch ms: the gateway's ingest time ({@code sluice-received-at}) of the newest record whose row
     * of the table is committed (published when the checkpoint that commits it completes). Freshness is
     * {@code now - max over subtasks}. Not registered before the table's first commit.
     */
    public static final String LAST_COMMITTED_INGEST_TIME = "lastCommittedIngestTime";

    /** Label of the per-error-code counters ({@link #erroredByCode}). */
    public static final String CODE_LABEL = "code";

    /** Table label of the job-level counters. */
    public static final String JOB_TABLE = "_job";

    /** Name of the accumulator holding every counter as {@code table|counter → value}. */
    public static final String ACCUMULATOR = "sluice-sla";

    /** Metric group under the operator's group; tables and days are label groups below it. */
    public static final String METRIC_GROUP = "sluice_sla";

    private SlaMetrics() {
    }

    /** {@code table|counter}, the key of a counter in the accumulator. */
    public static String key(String table, String counter) {
        return table + "|" + counter;
    }

    /**
     * The counter of error records with one error code ({@code code=INVALID_JSON.recordsErrored}), kept under
     * the error's table or {@link #JOB_TABLE} when the error has none, so every error record counts once.
     * Published with a {@code code} label.
     */
    public static String erroredByCode(String code) {
        return labelled(CODE_LABEL, code, RECORDS_ERRORED);
    }

    /** A counter carrying one extra label: {@code label=value.counter}. */
    public static String labelled(String label, String value, String counter) {
        return label + "=" + value + "." + counter;
    }

    /** The counter name of a TTL counter for one day: {@code 2026-11-23.recordsIn}. */
    public static String daily(String day, String counter) {
        return day + "." + counter;
    }
}

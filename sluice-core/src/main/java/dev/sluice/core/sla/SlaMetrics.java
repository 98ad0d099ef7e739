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

    /** The counter name of a TTL counter for one day: {@code 2026-11-23.recordsIn}. */
    public static String daily(String day, String counter) {
        return day + "." + counter;
    }
}

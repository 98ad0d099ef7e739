package dev.sluice.backfill;

/** Exit codes of {@code sluice replay} (documented in docs/replay.md; 0, 2, 3, 4 are the contract's). */
public final class ExitCodes {
    /** Done: swapped, rolled back, collected, or a dry run's plan printed. */
    public static final int DONE = 0;
    /** A part of the platform could not be reached or the job failed; nothing was swapped. */
    public static final int FAILED = 1;
    /** Bad flags or input (unknown table, partition not in the table, window outside retention). */
    public static final int USAGE = 2;
    /** Nothing to do (no input in the window, no error rows to retry, nothing to collect). */
    public static final int NOTHING_TO_DO = 3;
    /** The staged partition failed verification; nothing was swapped. */
    public static final int VERIFICATION_FAILED = 4;

    private ExitCodes() {
    }
}

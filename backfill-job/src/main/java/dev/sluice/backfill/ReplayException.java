package dev.sluice.backfill;

/**
 * A replay that stops without changing anything visible to readers, with the CLI's exit code for it
 * (see {@link ExitCodes}) and a message that says what was wrong and what to do.
 */
public final class ReplayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public ReplayException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ReplayException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Bad input: unknown table, partition not in the table, window outside retention, bad flags. */
    static ReplayException usage(String message) {
        return new ReplayException(ExitCodes.USAGE, message);
    }

    /** Nothing to replay (no records in the window, no error rows to retry). */
    static ReplayException nothingToDo(String message) {
        return new ReplayException(ExitCodes.NOTHING_TO_DO, message);
    }

    /** A part of the platform (metastore, broker) could not be reached. */
    static ReplayException unavailable(String message, Throwable cause) {
        return new ReplayException(ExitCodes.FAILED, message, cause);
    }
}

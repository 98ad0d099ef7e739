package dev.sluice.job.format;

/**
 * A value that cannot be converted to its logical type. Expected on drifted data, so it carries no stack
 * trace (cheap to create per record); the message says what was found.
 */
public final class ConversionException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConversionException(String message) {
        super(message, null, false, false);
    }
}

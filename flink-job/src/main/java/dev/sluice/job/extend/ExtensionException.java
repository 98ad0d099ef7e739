package dev.sluice.job.extend;

/** A derived field could not be computed, or an explode target is not an array; the message names which. */
public final class ExtensionException extends Exception {
    private static final long serialVersionUID = 1L;

    public ExtensionException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}

package dev.sluice.job.split;

/** A routing expression failed on a record; becomes a {@code ROUTING_FAILED} error for the table. */
public final class RoutingException extends Exception {
    private static final long serialVersionUID = 1L;

    public RoutingException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}

package dev.sluice.gateway.metrics;

/**
 * Where one ingest request's time went, stage by stage, from the moment Vert.x handed over its headers
 * to the moment its answer was written. Each stage is the time between two marks; the stages add up to
 * the request's time in the gateway:
 * <ol>
 *   <li>{@code dispatch}: headers received → the request is handled: routing, then for a small body the
 *       wait for the rest of it on the event loop, for a streamed one the hand-off to a worker thread;</li>
 *   <li>{@code admission}: authentication, source, content type, rate and in-flight checks;</li>
 *   <li>{@code read}: reading and splitting the body (validation excluded);</li>
 *   <li>{@code validate}: the per-record checks (UTF-8, NUL, JSON, key field);</li>
 *   <li>{@code send}: handing the records to the Kafka producer;</li>
 *   <li>{@code kafka}: last record handed over → every record acked or failed (or the ack timeout): the
 *       wait for the batch to leave plus the broker's answer;</li>
 *   <li>{@code answer}: summary, response serialization and write.</li>
 * </ol>
 * Marks are set by whichever thread runs that stage; each mark happens-before the next through the
 * request's own hand-offs (executor submission, future completion, Vert.x context scheduling), so plain
 * fields suffice. Cost: one {@code System.nanoTime()} per mark, two per record for validation.
 */
public final class RequestClock {
    /** The key under which the clock travels in the request's Vert.x routing context. */
    public static final String CONTEXT_KEY = "sluice.request-clock";

    /** Stage names, in order; also the values of the {@code stage} tag. */
    public enum Stage {
        DISPATCH, ADMISSION, READ, VALIDATE, SEND, KAFKA, ANSWER;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final long arrived;
    private long handling;
    private long admitted;
    private long read;
    private long validating;
    private long sent;
    private long resolved;

    private RequestClock(long arrived) {
        this.arrived = arrived;
    }

    public static RequestClock startingNow() {
        return new RequestClock(System.nanoTime());
    }

    public void handling() {
        handling = System.nanoTime();
    }

    public void admitted() {
        admitted = System.nanoTime();
    }

    /** Adds the time since {@code startNanos} to validation (subtracted from {@code read}). */
    public void validated(long startNanos) {
        validating += System.nanoTime() - startNanos;
    }

    public void read() {
        read = System.nanoTime();
    }

    public void sent() {
        sent = System.nanoTime();
    }

    public void resolved() {
        resolved = System.nanoTime();
    }

    /** Whether the request got as far as Kafka's answer: only such requests have every stage. */
    boolean complete() {
        return resolved != 0;
    }

    /** Nanoseconds of each stage, in {@link Stage} order, for a request answered at {@code endNanos}. */
    long[] stages(long endNanos) {
        return new long[] {
            handling - arrived,
            admitted - handling,
            read - admitted - validating,
            validating,
            sent - read,
            resolved - sent,
            endNanos - resolved};
    }
}

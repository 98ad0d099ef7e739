package dev.sluice.gateway.admission;

/**
 * Token bucket in records per second, one second of burst. A request is admitted while the bucket is
 * not empty and then takes all its records, possibly going into debt: a batch larger than the burst is
 * not refused forever, it delays the next requests instead.
 */
public final class RateLimiter {
    private final int perSecond;
    private double tokens;
    private long refilledAtNanos;

    public RateLimiter(int perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.refilledAtNanos = System.nanoTime();
    }

    public int perSecond() {
        return perSecond;
    }

    /** Whether a request may start now; it must then {@link #take} its record count. */
    public synchronized boolean admits() {
        refill();
        return tokens > 0;
    }

    public synchronized void take(int records) {
        refill();
        tokens -= records;
    }

    /** Seconds until the bucket is positive again, at least 1 (the {@code Retry-After} unit). */
    public synchronized long secondsUntilAdmitted() {
        refill();
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - refilledAtNanos) / 1e9 * perSecond);
        refilledAtNanos = now;
    }
}

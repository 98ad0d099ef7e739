package dev.sluice.gateway.admission;

import dev.sluice.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the gateway holds at once: requests in progress and record bytes not yet acknowledged or failed
 * by Kafka. Both are taken without waiting: past a bound the request is refused (503 OVERLOADED), so a
 * slow broker fills a bounded budget instead of an unbounded queue.
 *
 * <p>Requests are bounded by what they cost:
 * <ul>
 *   <li>a streamed request holds a worker thread and may read up to its source's max-request-bytes, so
 *       streamed requests are counted against {@code limits.max-in-flight-requests}, and so is the send of
 *       an in-memory request handed to a worker because it might block ({@link #tryTakeWorkerSlot}): during
 *       an outage those would otherwise queue for the worker pool without bound;</li>
 *   <li>a request whose body was read whole on the event loop (at most {@code
 *       limits.event-loop-max-body-bytes}) holds no thread while it waits for Kafka, only memory: it is
 *       charged {@link #IN_MEMORY_REQUEST_CHARGE} bytes against {@code limits.max-in-flight-bytes} on top
 *       of its records. Counting these too made a 300 requests/s stream get 503 whenever a request's time
 *       from admission to answer passed 64 / 300 s = 213 ms, mostly waiting for an event loop that the ETL
 *       job on the same cores starved (bench/freshness), although they held well under 1 MB.</li>
 * </ul>
 *
 * <p>Bytes are given back when Kafka resolved every record of the request, not when the HTTP answer
 * leaves: a request that timed out still holds memory in the producer until Kafka acks or expires its
 * records.
 */
@Singleton
public class InFlightBudget {
    /**
     * Budget bytes one in-memory request holds besides its records, for as long as it is in flight: a
     * generous bound on what it keeps on the heap while waiting (HTTP request and routing context, headers,
     * body buffer, futures, producer records and their headers; a few KB). With the default 128 MiB
     * budget, 16,384 such requests may wait for Kafka at once.
     */
    public static final long IN_MEMORY_REQUEST_CHARGE = 8 * 1024;

    private final int maxWorkerSlots;
    private final long maxBytes;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger workerSlots = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    public InFlightBudget(GatewayConfig config) {
        this.maxWorkerSlots = config.limits().maxInFlightRequests();
        this.maxBytes = config.limits().maxInFlightBytes();
    }

    /**
     * Admits a request or refuses it; an admitted one must be ended with {@link #endRequest} with the same
     * {@code bodyInMemory}.
     */
    public boolean tryStartRequest(boolean bodyInMemory) {
        if (bodyInMemory) {
            if (!tryTakeBytes(IN_MEMORY_REQUEST_CHARGE)) {
                return false;
            }
        } else if (!tryTakeWorkerSlot()) {
            return false;
        }
        requests.incrementAndGet();
        return true;
    }

    public void endRequest(boolean bodyInMemory) {
        if (bodyInMemory) {
            releaseBytes(IN_MEMORY_REQUEST_CHARGE);
        } else {
            releaseWorkerSlot();
        }
        requests.decrementAndGet();
    }

    /** One of the {@code limits.max-in-flight-requests} slots for work on a worker thread; false when all are taken. */
    public boolean tryTakeWorkerSlot() {
        while (true) {
            int current = workerSlots.get();
            if (current >= maxWorkerSlots) {
                return false;
            }
            if (workerSlots.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void releaseWorkerSlot() {
        workerSlots.decrementAndGet();
    }

    public boolean tryTakeBytes(long amount) {
        while (true) {
            long current = bytes.get();
            if (current + amount > maxBytes) {
                return false;
            }
            if (bytes.compareAndSet(current, current + amount)) {
                return true;
            }
        }
    }

    public void releaseBytes(long amount) {
        bytes.addAndGet(-amount);
    }

    /** Requests in flight, streamed and in memory. */
    public int requests() {
        return requests.get();
    }

    /** Bytes taken: records not yet resolved by Kafka and the charges of in-memory requests. */
    public long bytes() {
        return bytes.get();
    }
}

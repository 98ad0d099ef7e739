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
 * <p>Bytes are given back when Kafka resolved every record of the request, not when the HTTP answer
 * leaves: a request that timed out still holds memory in the producer until Kafka acks or expires its
 * records.
 */
@Singleton
public class InFlightBudget {
    private final int maxRequests;
    private final long maxBytes;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    public InFlightBudget(GatewayConfig config) {
        this.maxRequests = config.limits().maxInFlightRequests();
        this.maxBytes = config.limits().maxInFlightBytes();
    }

    public boolean tryStartRequest() {
        while (true) {
            int current = requests.get();
            if (current >= maxRequests) {
                return false;
            }
            if (requests.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void endRequest() {
        requests.decrementAndGet();
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

    public int requests() {
        return requests.get();
    }

    public long bytes() {
        return bytes.get();
    }
}

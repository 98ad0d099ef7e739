package dev.sluice.gateway.ingest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Kafka's answers for the records of one request, in request order. Completes when every record was
 * acked or failed; the caller bounds the wait and reads a snapshot of the states at that moment.
 */
final class PendingRequest {
    static final int WAITING = 0;
    static final int ACKED = 1;
    static final int FAILED = 2;

    private final AtomicIntegerArray states;
    private final AtomicInteger unresolved;
    private final CompletableFuture<Void> resolved = new CompletableFuture<>();

    PendingRequest(int records) {
        this.states = new AtomicIntegerArray(records);
        this.unresolved = new AtomicInteger(records);
        if (records == 0) {
            resolved.complete(null);
        }
    }

    void ack(int slot) {
        resolve(slot, ACKED);
    }

    void fail(int slot) {
        resolve(slot, FAILED);
    }

    int state(int slot) {
        return states.get(slot);
    }

    CompletableFuture<Void> resolved() {
        return resolved;
    }

    private void resolve(int slot, int state) {
        if (states.compareAndSet(slot, WAITING, state) && unresolved.decrementAndGet() == 0) {
            resolved.complete(null);
        }
    }
}

package dev.sluice.job.sla;

import java.io.Serializable;

/**
 * One counter. Functions keep the handle and increment it on the hot path; the value is read from
 * other threads (metrics, accumulator snapshots), where a slightly stale value is fine.
 */
public final class SlaCounter implements Serializable {
    private static final long serialVersionUID = 1L;

    private long value;

    SlaCounter(long initial) {
        this.value = initial;
    }

    public void inc() {
        value++;
    }

    public void add(long delta) {
        value += delta;
    }

    public long value() {
        return value;
    }
}

package dev.sluice.job.sla;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * All SLA counters of a subtask as one accumulator, {@code table|counter → value}. One map instead of
 * one accumulator per counter because accumulators cannot be unregistered: an expired TTL counter is
 * removed from the map and so disappears from the job's accumulator result too.
 */
public final class SlaAccumulator implements Accumulator<Long, TreeMap<String, Long>> {
    private static final long serialVersionUID = 1L;

    private final ConcurrentHashMap<String, SlaCounter> counters;

    SlaAccumulator(ConcurrentHashMap<String, SlaCounter> counters) {
        this.counters = counters;
    }

    /** Not used: counters are incremented through their handles. */
    @Override
    public void add(Long value) {
        throw new UnsupportedOperationException("increment SLA counters through SlaCounters");
    }

    @Override
    public TreeMap<String, Long> getLocalValue() {
        TreeMap<String, Long> values = new TreeMap<>();
        counters.forEach((key, counter) -> values.put(key, counter.value()));
        return values;
    }

    @Override
    public void resetLocal() {
        counters.clear();
    }

    @Override
    public void merge(Accumulator<Long, TreeMap<String, Long>> other) {
        for (Map.Entry<String, Long> entry : other.getLocalValue().entrySet()) {
            counters.computeIfAbsent(entry.getKey(), k -> new SlaCounter(0)).add(entry.getValue());
        }
    }

    @Override
    public SlaAccumulator clone() {
        ConcurrentHashMap<String, SlaCounter> copy = new ConcurrentHashMap<>();
        counters.forEach((key, counter) -> copy.put(key, new SlaCounter(counter.value())));
        return new SlaAccumulator(copy);
    }
}

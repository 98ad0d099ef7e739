package dev.sluice.job.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * The accumulator semantics the JobManager relies on: it receives each subtask's accumulator
 * serialized, clones the first and merges the others into the clone. Merging must sum per key and never
 * touch the live counters of a subtask.
 */
class SlaAccumulatorTest {

    private static SlaAccumulator accumulator(Map<String, Long> values) {
        ConcurrentHashMap<String, SlaCounter> counters = new ConcurrentHashMap<>();
        values.forEach((key, value) -> counters.put(key, new SlaCounter(value)));
        return new SlaAccumulator(counters);
    }

    @Test
    void localValueIsASnapshotOfTheLiveCounters() {
        ConcurrentHashMap<String, SlaCounter> counters = new ConcurrentHashMap<>();
        SlaCounter in = new SlaCounter(0);
        counters.put("_job|recordsIn", in);
        SlaAccumulator acc = new SlaAccumulator(counters);
        in.add(3);
        TreeMap<String, Long> first = acc.getLocalValue();
        in.inc();
        counters.put("t|recordsOut", new SlaCounter(2));

        assertThat(first).containsExactly(Map.entry("_job|recordsIn", 3L));
        assertThat(acc.getLocalValue()).containsExactly(Map.entry("_job|recordsIn", 4L), Map.entry("t|recordsOut", 2L));
    }

    @Test
    void aRemovedCounterDisappearsFromTheValue() {
        ConcurrentHashMap<String, SlaCounter> counters = new ConcurrentHashMap<>();
        counters.put("_job|2026-11-20.recordsIn", new SlaCounter(5));
        counters.put("_job|recordsIn", new SlaCounter(5));
        SlaAccumulator acc = new SlaAccumulator(counters);
        counters.remove("_job|2026-11-20.recordsIn");

        assertThat(acc.getLocalValue()).containsOnlyKeys("_job|recordsIn");
    }

    @Test
    void mergeSumsPerKeyAndAddsMissingKeys() {
        SlaAccumulator a = accumulator(Map.of("_job|recordsIn", 10L, "t|recordsOut", 7L));
        SlaAccumulator b = accumulator(Map.of("_job|recordsIn", 5L, "_job|recordsDropped_no_table", 1L));

        a.merge(b);

        assertThat(a.getLocalValue()).containsExactly(Map.entry("_job|recordsDropped_no_table", 1L),
                Map.entry("_job|recordsIn", 15L), Map.entry("t|recordsOut", 7L));
        assertThat(b.getLocalValue()).as("merge leaves its argument alone")
                .containsExactly(Map.entry("_job|recordsDropped_no_table", 1L), Map.entry("_job|recordsIn", 5L));
    }

    @Test
    void cloneIsDeepSoMergingIntoItLeavesTheLiveCountersAlone() {
        ConcurrentHashMap<String, SlaCounter> counters = new ConcurrentHashMap<>();
        SlaCounter in = new SlaCounter(10);
        counters.put("_job|recordsIn", in);
        SlaAccumulator live = new SlaAccumulator(counters);

        SlaAccumulator copy = live.clone();
        copy.merge(accumulator(Map.of("_job|recordsIn", 5L, "t|recordsIn", 2L)));
        in.inc();

        assertThat(copy.getLocalValue()).containsExactly(Map.entry("_job|recordsIn", 15L), Map.entry("t|recordsIn", 2L));
        assertThat(live.getLocalValue()).containsExactly(Map.entry("_job|recordsIn", 11L));
        assertThat(counters).containsOnlyKeys("_job|recordsIn");
    }

    @Test
    void survivesJavaSerializationAsTheHeartbeatsCarryIt() throws Exception {
        SlaAccumulator acc = accumulator(Map.of("_job|recordsIn", 42L, "_job|2026-11-23.recordsIn", 40L));

        SlaAccumulator copy = InstantiationUtil.deserializeObject(InstantiationUtil.serializeObject(acc),
                getClass().getClassLoader());

        assertThat(copy.getLocalValue()).isEqualTo(acc.getLocalValue());
    }

    @Test
    void resetClearsAndAddIsRefused() {
        SlaAccumulator acc = accumulator(Map.of("_job|recordsIn", 1L));

        assertThatThrownBy(() -> acc.add(1L)).isInstanceOf(UnsupportedOperationException.class);
        acc.resetLocal();

        assertThat(acc.getLocalValue()).isEmpty();
    }
}

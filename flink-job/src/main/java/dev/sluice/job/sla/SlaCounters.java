package dev.sluice.job.sla;

import dev.sluice.core.sla.SlaMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * SLA counters that survive failover, restarts from savepoints and rescaling.
 *
 * <p>Usage, in any function that implements {@code CheckpointedFunction}:
 * <pre>{@code
 * public void initializeState(FunctionInitializationContext ctx) throws Exception {
 *     sla = SlaCounters.restore(ctx, getRuntimeContext(), Duration.ofDays(7));
 * }
 * public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
 *     sla.snapshot();
 * }
 * // hot path: keep the handle
 * SlaCounter out = sla.counter("app.events", SlaMetrics.RECORDS_OUT); out.inc();
 * }</pre>
 *
 * <p>Semantics: counters live in operator list state (split redistribution), one entry per counter
 * and subtask. On rescale each entry goes to exactly one subtask, which adds it to its own, so the
 * sum over subtasks — what the accumulator and the Prometheus sum show — stays exact. Because state
 * is restored to the last checkpoint together with the Kafka offsets, a failover replays the records
 * after that checkpoint and counts them once more from the restored values: counts stay exactly-once.
 *
 * <p>TTL counters ({@link #daily}) carry their day in the name; at each snapshot those older than the
 * TTL are dropped from state, from the accumulator and from the metric registry, and a day once pruned
 * is not counted again by this subtask (late records still count in the plain counters). That memory is
 * per subtask and not checkpointed: after a restore, a late record of an expired day may show it again
 * until the next snapshot prunes it.
 */
public final class SlaCounters {
    private static final ListStateDescriptor<Tuple3<String, String, Long>> STATE = new ListStateDescriptor<>(
            "sluice-sla-counters", Types.TUPLE(Types.STRING, Types.STRING, Types.LONG));

    private final ListState<Tuple3<String, String, Long>> state;
    private final ConcurrentHashMap<String, SlaCounter> counters;
    private final Map<String, String[]> keyParts = new HashMap<>();
    private final MetricGroup metrics;
    private final Map<String, MetricGroup> tableGroups = new HashMap<>();
    private final Map<String, MetricGroup> dayGroups = new HashMap<>();
    /** {@code table|day} of the TTL counters this subtask pruned: late records must not bring them back. */
    private final Set<String> expiredDays = new HashSet<>();
    private final Duration ttl;
    private final Clock clock;

    private SlaCounters(ListState<Tuple3<String, String, Long>> state, ConcurrentHashMap<String, SlaCounter> counters,
                        MetricGroup metrics, Duration ttl, Clock clock) {
        this.state = state;
        this.counters = counters;
        this.metrics = metrics;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Restores this subtask's share of the counters (empty on a fresh start) and registers them. */
    public static SlaCounters restore(FunctionInitializationContext ctx, RuntimeContext runtime, Duration ttl)
            throws Exception {
        return restore(ctx, runtime, ttl, Clock.systemUTC());
    }

    static SlaCounters restore(FunctionInitializationContext ctx, RuntimeContext runtime, Duration ttl, Clock clock)
            throws Exception {
        ListState<Tuple3<String, String, Long>> state = ctx.getOperatorStateStore().getListState(STATE);
        ConcurrentHashMap<String, SlaCounter> counters = new ConcurrentHashMap<>();
        SlaCounters sla = new SlaCounters(state, counters,
                runtime.getMetricGroup().addGroup(SlaMetrics.METRIC_GROUP), ttl, clock);
        if (ctx.isRestored()) {
            for (Tuple3<String, String, Long> entry : state.get()) {
                sla.counter(entry.f0, entry.f1).add(entry.f2);
            }
        }
        runtime.addAccumulator(SlaMetrics.ACCUMULATOR, new SlaAccumulator(counters));
        return sla;
    }

    /** The handle of a counter, created at 0 and registered as a gauge on first use. */
    public SlaCounter counter(String table, String name) {
        String key = SlaMetrics.key(table, name);
        SlaCounter counter = counters.get(key);
        if (counter == null) {
            counter = new SlaCounter(0);
            counters.put(key, counter);
            keyParts.put(key, new String[] {table, name});
            register(table, name, counter);
        }
        return counter;
    }

    /**
     * The handle of a TTL counter for the UTC day of {@code epochMillis}. For a day this subtask already
     * pruned, a detached counter (in no state, accumulator or metric): a late record would otherwise
     * re-create the expired day with a partial count until the next snapshot.
     */
    public SlaCounter daily(String table, String name, long epochMillis) {
        LocalDate day = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate();
        if (expiredDays.contains(table + "|" + day)) {
            return new SlaCounter(0);
        }
        return counter(table, SlaMetrics.daily(day.toString(), name));
    }

    /** Prunes expired TTL counters, then writes every counter to state. Call from {@code snapshotState}. */
    public void snapshot() throws Exception {
        prune();
        List<Tuple3<String, String, Long>> entries = new ArrayList<>(counters.size());
        counters.forEach((key, counter) -> {
            String[] parts = keyParts.get(key);
            entries.add(Tuple3.of(parts[0], parts[1], counter.value()));
        });
        state.update(entries);
    }

    /** Current values, {@code table|counter → value} (this subtask's share). */
    public Map<String, Long> values() {
        Map<String, Long> values = new HashMap<>();
        counters.forEach((key, counter) -> values.put(key, counter.value()));
        return values;
    }

    private void prune() {
        LocalDate oldest = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(Math.max(0, ttl.toDays()));
        List<String> expired = new ArrayList<>();
        keyParts.forEach((key, parts) -> {
            LocalDate day = dayOf(parts[1]);
            if (day != null && day.isBefore(oldest)) {
                expired.add(key);
            }
        });
        for (String key : expired) {
            String[] parts = keyParts.remove(key);
            counters.remove(key);
            expiredDays.add(parts[0] + "|" + dayOf(parts[1]));
            MetricGroup group = dayGroups.remove(parts[0] + "|" + dayOf(parts[1]));
            if (group instanceof AbstractMetricGroup closable) {
                // Unregisters the day's gauges from every reporter; a closed group is never reused.
                closable.close();
            }
        }
    }

    /** The metric group of a table's SLA metrics (label {@code table}). */
    MetricGroup tableGroup(String table) {
        return tableGroups.computeIfAbsent(table, t -> metrics.addGroup("table", t));
    }

    private void register(String table, String name, SlaCounter counter) {
        MetricGroup tableGroup = tableGroup(table);
        LocalDate day = dayOf(name);
        int equals = name.indexOf('=');
        int dot = name.indexOf('.');
        if (day == null && equals > 0 && dot > equals) {
            // A labelled counter (SlaMetrics.labelled): one more label group under the table.
            tableGroup.addGroup(name.substring(0, equals), name.substring(equals + 1, dot))
                    .gauge(name.substring(dot + 1), counter::value);
        } else if (day == null) {
            tableGroup.gauge(name, counter::value);
        } else {
            MetricGroup dayGroup = dayGroups.computeIfAbsent(table + "|" + day,
                    k -> tableGroup.addGroup("day", day.toString()));
            dayGroup.gauge(name.substring(name.indexOf('.') + 1), counter::value);
        }
    }

    /** The day of a TTL counter name ({@code 2026-11-23.recordsIn}), or null for a plain counter. */
    static LocalDate dayOf(String name) {
        int dot = name.indexOf('.');
        if (dot != 10) {
            return null;
        }
        try {
            return LocalDate.parse(name.substring(0, dot));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}

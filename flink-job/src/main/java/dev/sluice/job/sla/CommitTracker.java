package dev.sluice.job.sla;

import dev.sluice.core.sla.SlaMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * Freshness and commits per table, seen from the operator that emits the tables' rows.
 *
 * <p>Work flow: the sinks downstream commit what they received before a checkpoint's barrier when that
 * checkpoint completes (Hudi's coordinator writes the instant, the Hive sink's committer moves the files
 * and registers the partition). So this tracker remembers, per table, the newest ingest time of the rows
 * it emitted since the last barrier; at the barrier ({@link #snapshot}) that becomes the checkpoint's
 * pending value and the table's {@link SlaMetrics#COMMITS} counter counts one; when the checkpoint
 * completes ({@link #checkpointComplete}) the value is published as {@link
 * SlaMetrics#LAST_COMMITTED_INGEST_TIME}. The notification reaches this operator at about the time the
 * sinks commit, not strictly after: the gauge may lead the visible commit by the commit's own duration.
 *
 * <p>Fault tolerance: commits are SLA counters (operator state, summed on rescale; counted at the barrier,
 * so a restore from checkpoint n includes n's commit, which did complete). The committed ingest times are a
 * split list state written at each barrier as they will be once that checkpoint completes; on rescale an
 * entry lands on one subtask, and since freshness is the maximum over subtasks it is preserved.
 */
public final class CommitTracker {
    private static final ListStateDescriptor<Tuple2<String, Long>> STATE = new ListStateDescriptor<>(
            "sluice-sla-committed-ingest-time", Types.TUPLE(Types.STRING, Types.LONG));

    private final SlaCounters sla;
    private final ListState<Tuple2<String, Long>> state;
    private final Map<String, Table> tables = new HashMap<>();
    /** Checkpoint id → table → newest ingest time of the rows that checkpoint commits. */
    private final TreeMap<Long, Map<String, Long>> pending = new TreeMap<>();
    /** Table → newest committed ingest time; read by the gauges from the metric thread. */
    private final ConcurrentHashMap<String, Long> committed = new ConcurrentHashMap<>();

    private CommitTracker(SlaCounters sla, ListState<Tuple2<String, Long>> state) {
        this.sla = sla;
        this.state = state;
    }

    /** Restores this subtask's committed ingest times and registers their gauges. */
    public static CommitTracker restore(FunctionInitializationContext ctx, SlaCounters sla) throws Exception {
        CommitTracker tracker = new CommitTracker(sla, ctx.getOperatorStateStore().getListState(STATE));
        if (ctx.isRestored()) {
            for (Tuple2<String, Long> entry : tracker.state.get()) {
                tracker.publish(entry.f0, entry.f1);
            }
        }
        return tracker;
    }

    /** The handle of a table; keep it and call {@link Table#row} on the hot path. */
    public Table table(String name) {
        return tables.computeIfAbsent(name, Table::new);
    }

    /** At the barrier of {@code checkpointId}: what was emitted since the last one goes into its commit. */
    public void snapshot(long checkpointId) throws Exception {
        Map<String, Long> rows = new HashMap<>();
        for (Table table : tables.values()) {
            if (table.newest != Long.MIN_VALUE) {
                rows.put(table.name, table.newest);
                sla.counter(table.name, SlaMetrics.COMMITS).inc();
                table.newest = Long.MIN_VALUE;
            }
        }
        if (!rows.isEmpty()) {
            pending.put(checkpointId, rows);
        }
        // What is committed once this checkpoint completes, which a restore from it implies.
        Map<String, Long> once = new HashMap<>(committed);
        pending.values().forEach(p -> p.forEach((t, v) -> once.merge(t, v, Math::max)));
        List<Tuple2<String, Long>> entries = new ArrayList<>(once.size());
        once.forEach((t, v) -> entries.add(Tuple2.of(t, v)));
        state.update(entries);
    }

    /** Publishes the ingest times committed by {@code checkpointId} and every earlier pending one. */
    public void checkpointComplete(long checkpointId) {
        Iterator<Map.Entry<Long, Map<String, Long>>> it = pending.headMap(checkpointId, true).entrySet().iterator();
        while (it.hasNext()) {
            it.next().getValue().forEach(this::publish);
            it.remove();
        }
    }

    /** Newest committed ingest time per table (this subtask's). */
    public Map<String, Long> committed() {
        return Map.copyOf(committed);
    }

    private void publish(String table, long ingestTime) {
        Long before = committed.get(table);
        if (before == null) {
            committed.put(table, ingestTime);
            sla.tableGroup(table).gauge(SlaMetrics.LAST_COMMITTED_INGEST_TIME, () -> committed.get(table));
        } else if (ingestTime > before) {
            committed.put(table, ingestTime);
        }
    }

    /** Rows of one table since the last barrier. */
    public static final class Table {
        private final String name;
        private long newest = Long.MIN_VALUE;

        private Table(String name) {
            this.name = name;
        }

        /** A row of this table from a record the gateway received at {@code ingestTime} (epoch ms). */
        public void row(long ingestTime) {
            if (ingestTime > newest) {
                newest = ingestTime;
            }
        }
    }
}

package dev.sluice.job.dedup;

import dev.sluice.core.config.DedupConfig;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.sla.SlaCounter;
import dev.sluice.job.sla.SlaCounters;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.time.Time;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * Drops rows whose dedup key was seen within the table's {@code within}: the first row of a key passes,
 * later ones are counted as dropped with reason {@code duplicate}.
 *
 * <p>Work flow: rows are keyed by their {@link DedupKey}; one {@code ValueState} flag per key, written
 * when the key's first row passes, expires {@code within} after that write (processing time), so a key
 * is remembered for {@code within} from its first row, not from its latest duplicate.
 *
 * <p>Accounting: the ETL stage counts such a table's rows in its {@code recordsIn} and leaves their
 * outcome to this operator, which counts each row once as out (passed) or dropped (duplicate), plus the
 * job's {@code recordsDropped_duplicate}; so {@code in = out + dropped + errored} holds for the table.
 *
 * <p>Fault tolerance: the flags are keyed state and the counters operator state ({@link SlaCounters}),
 * both restored with the Kafka offsets: after a failover the replayed rows meet the flags of the last
 * checkpoint and pass or drop exactly as the first time; on rescale the flags move with their key groups.
 */
public final class DedupFunction extends KeyedProcessFunction<String, RowData, RowData> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    static final String STATE_NAME = "sluice-dedup-seen";

    private final String table;
    private final Duration within;
    private final Duration slaTtl;

    private transient ValueState<Boolean> seen;
    private transient SlaCounters sla;
    private transient SlaCounter out;
    private transient SlaCounter dropped;
    private transient SlaCounter duplicates;

    public DedupFunction(String table, DedupConfig config, Duration slaTtl) {
        this.table = table;
        this.within = config.within();
        this.slaTtl = slaTtl;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        sla = SlaCounters.restore(context, getRuntimeContext(), slaTtl);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        sla.snapshot();
    }

    @Override
    public void open(Configuration parameters) {
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>(STATE_NAME, Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Time.milliseconds(within.toMillis()))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getState(descriptor);
        out = sla.counter(table, SlaMetrics.RECORDS_OUT);
        dropped = sla.counter(table, SlaMetrics.RECORDS_DROPPED);
        duplicates = sla.counter(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_DROPPED + "_" + DedupConfig.DROP_REASON);
    }

    /** This subtask's SLA counters, {@code table|counter → value} (for tests). */
    Map<String, Long> counters() {
        return sla.values();
    }

    @Override
    public void processElement(RowData row, Context ctx, Collector<RowData> collector) throws Exception {
        if (seen.value() != null) {
            dropped.inc();
            duplicates.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        out.inc();
        collector.collect(row);
    }
}

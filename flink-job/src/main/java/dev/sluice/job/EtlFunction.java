package dev.sluice.job;

import dev.sluice.core.config.TableConfig;
import dev.sluice.core.error.ErrorCode;
import dev.sluice.core.error.ErrorRecord;
import dev.sluice.core.record.RawRecord;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.dedup.Dedup;
import dev.sluice.job.dedup.DedupFunction;
import dev.sluice.job.error.ErrorTable;
import dev.sluice.job.load.WriterStallWatchdog;
import dev.sluice.job.pipeline.PipelineOutput;
import dev.sluice.job.pipeline.RecordProcessor;
import dev.sluice.job.reload.ConfigReloader;
import dev.sluice.job.sla.CommitTracker;
import dev.sluice.job.sla.SlaCounter;
import dev.sluice.job.sla.SlaCounters;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs the stages (filter → parse → extend → format → split) on each raw record of the topic, sends
 * each resulting row to its table's side output and each failure to the error side output, and keeps
 * the SLA account.
 *
 * <p>Work flow: one instance per subtask hosts every table of the topic, so a record is read and
 * parsed once however many tables it feeds. The main output carries nothing.
 *
 * <p>Accounting (see {@link SlaMetrics}): each record counts once in the job's {@code recordsIn} and
 * once in exactly one outcome — out if it became a row of any table, else errored if any table
 * failed it, else dropped. Per table: rows, errors and drops of that table (a table with dedup counts
 * its rows' out or duplicate drop in its {@link DedupFunction}). Job-level counters also
 * exist per day of ingestion (TTL counters). Error records also count per error code, under their table
 * (or the job's when they have none); rows feed each table's commits and freshness ({@link CommitTracker}).
 *
 * <p>Fault tolerance: counters are operator state restored with the Kafka offsets, so after a
 * failover the replayed records are counted from the restored values and totals stay exact.
 *
 * <p>Hot reload (when built with a {@link ConfigReloader}): the config file is checked in
 * {@link #snapshotState}, after the barrier, and a light change swaps the processor there, so the switch
 * sits exactly on a checkpoint; the active config's YAML is union operator state so a failover resumes
 * with it. SLA counters live outside the processor and carry on across a swap.
 */
public final class EtlFunction extends ProcessFunction<RawRecord, Void> implements CheckpointedFunction,
        CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private final RecordProcessor processor;
    private final Map<String, OutputTag<RowData>> tableOutputs;
    private final OutputTag<RowData> errorOutput;
    private final Duration slaTtl;
    /** Null: the config is fixed for the job's life. */
    private final ConfigReloader reloader;
    /** Null: no watchdog (a job without Hudi writers). */
    private final Duration writerStallTimeout;

    private transient SlaCounters sla;
    private transient CommitTracker commits;
    private transient Routing routing;
    private transient RecordProcessor running;
    private transient ListState<String> activeConfig;
    /** Tables whose rows' outcome a dedup stage counts ({@link DedupFunction}); fixed for the job's life. */
    private transient Set<String> deduplicated;

    public EtlFunction(RecordProcessor processor, Map<String, OutputTag<RowData>> tableOutputs,
                       OutputTag<RowData> errorOutput, Duration slaTtl) {
        this(processor, tableOutputs, errorOutput, slaTtl, null, null);
    }

    /**
     * @param writerStallTimeout bound of a Hudi writer's wait for an instant, enforced by this JVM's
     *                           {@link WriterStallWatchdog}; null for none
     */
    public EtlFunction(RecordProcessor processor, Map<String, OutputTag<RowData>> tableOutputs,
                       OutputTag<RowData> errorOutput, Duration slaTtl, ConfigReloader reloader,
                       Duration writerStallTimeout) {
        this.processor = processor;
        this.tableOutputs = Map.copyOf(tableOutputs);
        this.errorOutput = errorOutput;
        this.slaTtl = slaTtl;
        this.reloader = reloader;
        this.writerStallTimeout = writerStallTimeout;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        sla = SlaCounters.restore(context, getRuntimeContext(), slaTtl);
        commits = CommitTracker.restore(context, sla);
        running = processor;
        if (reloader != null) {
            activeConfig = context.getOperatorStateStore().getUnionListState(
                    new ListStateDescriptor<>("sluice-active-pipeline", Types.STRING));
            // Union state: every subtask stored the same YAML (they switch at the same checkpoint).
            Iterator<String> restored = activeConfig.get().iterator();
            running = reloader.start(processor, restored.hasNext() ? restored.next() : null);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        if (reloader != null) {
            RecordProcessor next = reloader.atCheckpoint(context.getCheckpointId(), context.getCheckpointTimestamp());
            if (next != null) {
                RecordProcessor previous = running;
                running = next;
                previous.close();
                sla.counter(SlaMetrics.JOB_TABLE, ConfigReloader.RELOADS_COUNTER).inc();
            }
            activeConfig.update(reloader.activeYaml() == null ? List.of() : List.of(reloader.activeYaml()));
        }
        commits.snapshot(context.getCheckpointId());
        sla.snapshot();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        commits.checkpointComplete(checkpointId);
    }

    @Override
    public void open(Configuration parameters) {
        deduplicated = processor.config().tables().stream().filter(Dedup::isDeduplicated).map(TableConfig::name)
                .collect(Collectors.toUnmodifiableSet());
        running.open();
        routing = new Routing();
        if (writerStallTimeout != null) {
            WriterStallWatchdog.start(writerStallTimeout, this, getRuntimeContext().getMetricGroup());
        }
    }

    @Override
    public void close() {
        WriterStallWatchdog.release(this);
        if (running != null) {
            running.close();
        }
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Void> out) {
        routing.begin(ctx, record.receivedAt());
        running.process(record, routing);
        routing.end();
    }

    /** Reused per record: binds the processor's outputs to this call's context and counts outcomes. */
    private final class Routing implements PipelineOutput {
        private static final int IN = 0;
        private static final int OUT = 1;
        private static final int DROPPED = 2;
        private static final int ERRORED = 3;

        private final Map<String, SlaCounter[]> tables = new HashMap<>();
        private final Map<String, CommitTracker.Table> committing = new HashMap<>();
        private final Map<String, SlaCounter> dropReasons = new HashMap<>();
        private final Map<String, Map<ErrorCode, SlaCounter>> errorCodes = new HashMap<>();
        private final SlaCounter[] job = counters(SlaMetrics.JOB_TABLE);
        private SlaCounter[] jobDaily;
        private long jobDailyEpochDay = Long.MIN_VALUE;
        private Context ctx;
        private long receivedAt;
        private boolean rows;
        private boolean errors;

        void begin(Context context, long receivedAt) {
            ctx = context;
            this.receivedAt = receivedAt;
            rows = false;
            errors = false;
            long epochDay = Math.floorDiv(receivedAt, DAY_MILLIS);
            if (epochDay != jobDailyEpochDay) {
                jobDailyEpochDay = epochDay;
                jobDaily = new SlaCounter[] {
                    sla.daily(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN, receivedAt),
                    sla.daily(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_OUT, receivedAt),
                    sla.daily(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_DROPPED, receivedAt),
                    sla.daily(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_ERRORED, receivedAt)};
            }
            job[IN].inc();
            jobDaily[IN].inc();
        }

        void end() {
            int outcome = rows ? OUT : errors ? ERRORED : DROPPED;
            job[outcome].inc();
            jobDaily[outcome].inc();
        }

        @Override
        public void row(String table, RowData row) {
            OutputTag<RowData> tag = tableOutputs.get(table);
            if (tag == null) {
                throw new IllegalStateException("stage emitted a row for unknown table " + table);
            }
            ctx.output(tag, row);
            rows = true;
            if (deduplicated.contains(table)) {
                // Out or dropped as a duplicate: decided and counted by the table's dedup stage.
                tables.computeIfAbsent(table, this::counters)[IN].inc();
            } else {
                count(table, OUT);
            }
            committing.computeIfAbsent(table, commits::table).row(receivedAt);
        }

        @Override
        public void dropped(String table, String reason) {
            if (table != null) {
                count(table, DROPPED);
            }
            dropReasons.computeIfAbsent(reason,
                    r -> sla.counter(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_DROPPED + "_" + r)).inc();
        }

        @Override
        public void error(ErrorRecord error) {
            ctx.output(errorOutput, ErrorTable.toRow(error));
            errors = true;
            if (error.table() != null) {
                count(error.table(), ERRORED);
            }
            String owner = error.table() == null ? SlaMetrics.JOB_TABLE : error.table();
            errorCodes.computeIfAbsent(owner, t -> new EnumMap<>(ErrorCode.class))
                    .computeIfAbsent(error.code(), c -> sla.counter(owner, SlaMetrics.erroredByCode(c.name()))).inc();
        }

        /** A table's in counts every outcome it had, so in = out + dropped + errored holds per table too. */
        private void count(String table, int outcome) {
            SlaCounter[] counters = tables.computeIfAbsent(table, this::counters);
            counters[IN].inc();
            counters[outcome].inc();
        }

        private SlaCounter[] counters(String table) {
            return new SlaCounter[] {
                sla.counter(table, SlaMetrics.RECORDS_IN),
                sla.counter(table, SlaMetrics.RECORDS_OUT),
                sla.counter(table, SlaMetrics.RECORDS_DROPPED),
                sla.counter(table, SlaMetrics.RECORDS_ERRORED)};
        }
    }
}

package dev.sluice.backfill;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.record.RawRecord;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.EtlFunction;
import dev.sluice.job.error.ErrorTable;
import dev.sluice.job.format.TableSchemas;
import dev.sluice.job.load.PartitionPath;
import dev.sluice.job.pipeline.RecordProcessor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * The bounded Flink job of a replay: input records → {@link EtlFunction} with the current pipeline (the
 * streaming job's own function and stages, its SLA account included) → the repaired table's rows →
 * {@link PartitionFilter} (only the requested partition) → the output (a staging Hive sink, a Hudi
 * insert_overwrite, or nothing for a dry run). Runs in BATCH mode: the input is finite, sinks commit once at
 * the end, no checkpoints are needed.
 */
final class ReplayJob {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private ReplayJob() {
    }

    /**
     * What the job did.
     *
     * @param sla          the {@code sluice-sla} accumulator ({@code table|counter → value})
     * @param rowsKept     rows of the requested partition
     * @param rowsOther    rows of the table in other partitions (not written)
     * @param failedOrigins origins of records that failed again (errors input only)
     * @param took         wall time of the job
     */
    record Result(Map<String, Long> sla, long rowsKept, long rowsOther, List<String> failedOrigins, Duration took) {

        /** The job's account for {@code table}. */
        ReplaySummary.Sla slaOf(String table) {
            return new ReplaySummary.Sla(
                    sla.getOrDefault(SlaMetrics.key(table, SlaMetrics.RECORDS_IN), 0L),
                    sla.getOrDefault(SlaMetrics.key(table, SlaMetrics.RECORDS_OUT), 0L),
                    sla.getOrDefault(SlaMetrics.key(table, SlaMetrics.RECORDS_DROPPED), 0L),
                    sla.getOrDefault(SlaMetrics.key(table, SlaMetrics.RECORDS_ERRORED), 0L));
        }

        /** Records the job read. */
        long recordsIn() {
            return sla.getOrDefault(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN), 0L);
        }
    }

    /**
     * Builds and runs the job to its end.
     *
     * @param input    adds the input records to the environment
     * @param output   adds the sink of the kept rows (null: rows are only counted)
     * @param expected records the input holds, for the progress line
     */
    static Result run(String name, PipelineConfig pipeline, ReplayTarget target,
                      Function<StreamExecutionEnvironment, DataStream<RawRecord>> input,
                      Consumer<DataStream<RowData>> output, int parallelism, long expected, Consumer<String> progress)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        // As in LocalFlink: Hadoop's FileSystem cache keeps a task's classloader (Hudi reads through it).
        conf.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.getConfig().enableObjectReuse();
        // A failed replay changes nothing readers see; the operator reruns it (it is idempotent).
        env.setRestartStrategy(RestartStrategies.noRestart());

        Map<String, OutputTag<RowData>> tableOutputs = new LinkedHashMap<>();
        for (TableConfig table : pipeline.tables()) {
            tableOutputs.put(table.name(),
                    new OutputTag<>("table-" + table.name(), InternalTypeInfo.of(TableSchemas.rowType(table))));
        }
        OutputTag<RowData> errorOutput = new OutputTag<>("errors", InternalTypeInfo.of(ErrorTable.ROW_TYPE));
        SingleOutputStreamOperator<Void> etl = input.apply(env)
                .process(new EtlFunction(new RecordProcessor(pipeline), tableOutputs, errorOutput, Duration.ofDays(7)),
                        Types.VOID)
                .name("etl:" + pipeline.source().topic());
        DataStream<RowData> rows = etl.getSideOutput(tableOutputs.get(target.name()))
                .filter(new PartitionFilter(PartitionPath.of(target.target().rowType(), target.partitionFields()),
                        String.join("/", partitionPath(target))))
                .name("partition:" + String.join("/", partitionPath(target)));
        if (output != null) {
            output.accept(rows);
        } else {
            rows.addSink(new org.apache.flink.streaming.api.functions.sink.DiscardingSink<>()).name("count only");
        }
        etl.getSideOutput(errorOutput).addSink(new FailedOrigins()).name("failed again");

        long started = System.nanoTime();
        JobClient client = env.executeAsync(name);
        CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
        while (true) {
            try {
                done.get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                progress.accept(progressLine(client, expected, started));
            }
        }
        JobExecutionResult result = done.get();
        @SuppressWarnings("unchecked")
        Map<String, Long> sla = (Map<String, Long>) result.getAllAccumulatorResults()
                .getOrDefault(SlaMetrics.ACCUMULATOR, Map.of());
        @SuppressWarnings("unchecked")
        List<String> failed = (List<String>) result.getAllAccumulatorResults()
                .getOrDefault(FailedOrigins.ACCUMULATOR, List.of());
        return new Result(Map.copyOf(sla), longOf(result, PartitionFilter.KEPT), longOf(result, PartitionFilter.OTHER),
                List.copyOf(failed), Duration.ofNanos(System.nanoTime() - started));
    }

    private static List<String> partitionPath(ReplayTarget target) {
        List<String> segments = new java.util.ArrayList<>();
        for (int i = 0; i < target.partitionFields().size(); i++) {
            segments.add(target.partitionFields().get(i) + "=" + target.partitionValues().get(i));
        }
        return segments;
    }

    private static long longOf(JobExecutionResult result, String accumulator) {
        Object value = result.getAllAccumulatorResults().get(accumulator);
        return value == null ? 0L : (Long) value;
    }

    private static String progressLine(JobClient client, long expected, long started) {
        long read = 0;
        try {
            Object sla = client.getAccumulators().get(10, TimeUnit.SECONDS).get(SlaMetrics.ACCUMULATOR);
            if (sla instanceof Map<?, ?> counters) {
                Object in = counters.get(SlaMetrics.key(SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN));
                read = in instanceof Long l ? l : 0L;
            }
        } catch (Exception notYet) {
            // Accumulators are not available before the tasks report; the line then says 0.
        }
        return String.format("read %,d of %,d records (%.0f s)", read, expected, (System.nanoTime() - started) / 1e9);
    }
}

package dev.sluice.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.load.WriterStallWatchdog;
import dev.sluice.job.sla.RecordingReporter;
import dev.sluice.job.testing.JobFixture;
import dev.sluice.job.testing.Tables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No silent stall, provoked on real parts: a checkpoint is made to expire after the Hudi writer has
 * snapshotted for it (a second source in the job holds its snapshot past the checkpoint timeout), so the
 * instant the writer wrote to is never committed; with rows still arriving, the writer then waits in
 * {@code instantToWrite} at the next checkpoint for an instant no checkpoint can bring, and the job would
 * commit nothing for Hudi's own bound (the checkpoint timeout). The watchdog must fail the writer's task
 * within its bound, count it, and the job must recover from its last checkpoint with every record in the
 * table exactly once.
 */
class WriterStallITCase {
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(5);
    /** Checkpoints expire after this; Hudi's wait is bound by the timeout at graph building (10 min). */
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(8);
    private static final int BATCH = 200;

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(2, Duration.ofSeconds(2), RecordingReporter::configure);

    @Test
    void aWriterWaitingForAnAbortedCheckpointsInstantIsFailedAndTheJobRecoversExactly() throws Exception {
        String topic = "stall-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.createTopic(topic, 1);
        EtlJob job = fixture.job(JobFixture.pipeline("sla-orders.yaml", topic), topic)
                .writerStallTimeout(STALL_TIMEOUT).build();
        TableTarget orders = job.targets().get(0);
        Path timeline = Path.of(java.net.URI.create(orders.path())).resolve(".hoodie");

        StreamExecutionEnvironment env = fixture.flink().newEnvironment(1);
        job.attachTo(env);
        // After the Hudi sink has taken the (default, 10 min) checkpoint timeout as its wait bound.
        env.getCheckpointConfig().setCheckpointTimeout(CHECKPOINT_TIMEOUT.toMillis());
        env.getCheckpointConfig().setTolerableCheckpointFailureNumber(100);
        env.addSource(new SlowSnapshotSource()).name("slow-snapshot").setParallelism(1)
                .addSink(new DiscardingSink<>()).setParallelism(1);
        long stallsBefore = WriterStallWatchdog.stallsFailed();
        JobID id = fixture.flink().submit(env, job.name());
        int produced = 0;
        try {
            produced += produce(topic, produced);
            await().atMost(Duration.ofMinutes(2)).until(() -> Tables.hudiCommits(timeline) >= 1);

            SlowSnapshotSource.ARMED = true;
            Instant armed = Instant.now();
            Instant deadline = armed.plus(Duration.ofMinutes(2));
            // Rows keep arriving, so the writer has data to flush at the checkpoint after the expired one.
            while (WriterStallWatchdog.stallsFailed() == stallsBefore) {
                assertThat(Instant.now()).as("the watchdog failed the waiting writer").isBefore(deadline);
                produced += produce(topic, produced);
                Thread.sleep(500);
            }
            Instant failed = Instant.now();
            long commitsAtFailure = Tables.hudiCommits(timeline);
            await().atMost(Duration.ofMinutes(2)).until(() -> fixture.flink().status(id) == JobStatus.RUNNING
                    && Tables.hudiCommits(timeline) > commitsAtFailure);
            Instant recovered = Instant.now();
            System.out.printf("writer stall: failed by the watchdog %.1f s after the checkpoint was made to expire, "
                    + "committing again %.1f s later%n", Duration.between(armed, failed).toMillis() / 1000.0,
                    Duration.between(failed, recovered).toMillis() / 1000.0);

            // The restarted job publishes the count (a JVM's total, by one subtask).
            await().atMost(Duration.ofSeconds(30)).until(() -> RecordingReporter.REGISTERED.values().stream()
                    .filter(r -> r.name().equals(WriterStallWatchdog.METRIC))
                    .mapToLong(r -> ((Number) ((Gauge<?>) r.metric()).getValue()).longValue())
                    .sum() > stallsBefore);

            fixture.stopAndCheckEachIdOnce(id, orders, produced);
            assertThat(WriterStallWatchdog.stallsFailed() - stallsBefore).isGreaterThanOrEqualTo(1);
        } finally {
            fixture.stopIfRunning(id);
        }
    }

    private static int produce(String topic, int from) throws Exception {
        List<byte[]> lines = new ArrayList<>(BATCH);
        for (int i = from; i < from + BATCH; i++) {
            lines.add(("{\"id\":\"o-" + i + "\",\"ts\":\"2026-11-23T10:00:00Z\",\"amount\":" + i + "}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        fixture.produce(topic, lines, System.currentTimeMillis());
        return BATCH;
    }

    /**
     * Emits nothing; once armed, its next snapshot takes longer than the checkpoint timeout, so that
     * checkpoint expires after the other tasks (the Hudi writer among them) have snapshotted for it.
     */
    static final class SlowSnapshotSource implements SourceFunction<String>, CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        static volatile boolean ARMED;
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<String> ctx) throws Exception {
            while (running) {
                Thread.sleep(100);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            if (ARMED) {
                ARMED = false;
                Thread.sleep(CHECKPOINT_TIMEOUT.plusSeconds(4).toMillis());
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
        }
    }
}

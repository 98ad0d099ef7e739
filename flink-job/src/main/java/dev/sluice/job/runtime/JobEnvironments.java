package dev.sluice.job.runtime;

import java.time.Duration;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.time.Time;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.CheckpointConfig.ExternalizedCheckpointCleanup;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The one place that decides how Sluice jobs checkpoint and restart, wherever they run. */
public final class JobEnvironments {
    private JobEnvironments() {
    }

    /**
     * Filesystem checkpoint storage in {@code checkpointDir} (a URI or local path): Hudi's upsert index
     * state outgrows the JobManager's 5 MB in-memory storage.
     */
    public static Configuration checkpointStorage(String checkpointDir) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, Locations.toUri(checkpointDir));
        return conf;
    }

    /**
     * An environment with exactly-once checkpoints every {@code interval} (Hudi commits at each) that
     * restarts from the last checkpoint up to {@code restartAttempts} times, with object reuse on.
     */
    public static StreamExecutionEnvironment create(Configuration conf, int parallelism, Duration interval,
                                                    int restartAttempts) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        // No defensive copy of every row between chained operators: Sluice's functions build a new row per
        // output and never touch it again, and the Hudi and Parquet writers consume a row within the call.
        // The copies (strings encoded and copied once more) were a tenth of the ETL thread's time.
        env.getConfig().enableObjectReuse();
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig().setMinPauseBetweenCheckpoints(Math.min(1000, interval.toMillis() / 2));
        env.setRestartStrategy(restartAttempts == 0
                ? RestartStrategies.noRestart()
                : RestartStrategies.fixedDelayRestart(restartAttempts, Time.seconds(2)));
        return env;
    }

    /**
     * Keeps the job's completed checkpoints when the job is cancelled or its process dies, so a new run
     * can resume from the latest one ({@link RetainedState}); Flink deletes them only when the job
     * finishes (a stop with savepoint leaves that savepoint as the newest state).
     */
    public static void retainCheckpoints(StreamExecutionEnvironment env) {
        env.getCheckpointConfig().setExternalizedCheckpointCleanup(ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
    }
}

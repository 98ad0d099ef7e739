package dev.sluice.job.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.OptionalFailure;
import org.apache.flink.util.SerializedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Flink cluster (MiniCluster) that hosts several streaming jobs, for the demo and for
 * {@code sluice etl} without a Flink installation.
 *
 * <p>Fault tolerance: every job checkpoints to {@code checkpointDir} (filesystem storage: Hudi's upsert
 * index state outgrows the JobManager's in-memory limit) and restarts from the last checkpoint up to
 * three times. {@link #close()} stops each job with a savepoint, so Hudi commits what it buffered.
 */
public final class LocalFlink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFlink.class);

    private final MiniCluster cluster;
    private final String checkpointDir;
    private final Duration checkpointInterval;
    private final List<JobID> jobs = new ArrayList<>();

    private LocalFlink(MiniCluster cluster, String checkpointDir, Duration checkpointInterval) {
        this.cluster = cluster;
        this.checkpointDir = checkpointDir;
        this.checkpointInterval = checkpointInterval;
    }

    /**
     * Starts a cluster.
     *
     * @param slots              task slots (one job at parallelism 1 needs one slot)
     * @param restPort           port of the Web UI / REST API on 127.0.0.1, 0 for any free port
     * @param checkpointDir      where checkpoints and savepoints go
     * @param checkpointInterval how often jobs checkpoint (and so how often Hudi commits)
     */
    public static LocalFlink start(int slots, int restPort, Path checkpointDir, Duration checkpointInterval)
            throws Exception {
        return start(slots, restPort, checkpointDir, checkpointInterval, new Configuration());
    }

    /**
     * Starts a cluster with extra cluster settings, e.g. metric reporters ({@link #prometheusReporter}).
     */
    public static LocalFlink start(int slots, int restPort, Path checkpointDir, Duration checkpointInterval,
                                   Configuration extra) throws Exception {
        return start(slots, restPort, checkpointDir.toString(), checkpointInterval, extra);
    }

    /** Like {@link #start(int, int, Path, Duration, Configuration)}, checkpointing to a path or URI ({@code s3a://...}). */
    public static LocalFlink start(int slots, int restPort, String checkpointDir, Duration checkpointInterval,
                                   Configuration extra) throws Exception {
        HudiJol.quiet();
        Configuration conf = JobEnvironments.checkpointStorage(checkpointDir);
        conf.addAll(extra);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, restPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        // Hadoop's FileSystem cache keeps the classloader of the task that created an instance; after a
        // failover Hudi's merge reads through such an instance, and the leak check would fail it
        // (Hudi's Flink setup guide turns the check off for the same reason).
        conf.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
        // Accumulators (the SLA account) reach the JobManager with heartbeats: keep them fresh.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, 2000L);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        LOG.info("Flink MiniCluster up: {} slots, Web UI {}", slots, cluster.getRestAddress().get());
        return new LocalFlink(cluster, Locations.toUri(checkpointDir), checkpointInterval);
    }

    /** An environment whose jobs checkpoint as this cluster's settings say; submit it with {@link #submit}. */
    public StreamExecutionEnvironment newEnvironment(int parallelism) {
        return JobEnvironments.create(JobEnvironments.checkpointStorage(checkpointDir), parallelism,
                checkpointInterval, 3);
    }

    /**
     * Settings for Flink's Prometheus reporter on the first free port of {@code ports} (e.g.
     * {@code 9249-9259}): every task metric, SLA gauges included, at {@code http://127.0.0.1:PORT/metrics}.
     */
    public static Configuration prometheusReporter(String ports) {
        Configuration conf = new Configuration();
        conf.setString("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", ports);
        return conf;
    }

    /** Submits the environment's graph as a job named {@code name} and returns once it is running. */
    public JobID submit(StreamExecutionEnvironment env, String name) throws Exception {
        return submit(env, name, SavepointRestoreSettings.none());
    }

    /** Like {@link #submit(StreamExecutionEnvironment, String)}, restoring from {@code savepoint} when not null. */
    public JobID submit(StreamExecutionEnvironment env, String name, String savepoint) throws Exception {
        return submit(env, name, savepoint == null ? SavepointRestoreSettings.none() : SavepointRestoreSettings.forPath(savepoint));
    }

    /** Like {@link #submit(StreamExecutionEnvironment, String)}, restoring as {@code restore} says (path, claim mode). */
    public JobID submit(StreamExecutionEnvironment env, String name, SavepointRestoreSettings restore) throws Exception {
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName(name);
        JobGraph graph = streamGraph.getJobGraph();
        graph.setSavepointRestoreSettings(restore);
        JobID id = cluster.submitJob(graph).get().getJobID();
        jobs.add(id);
        LOG.info("submitted job {} ({})", name, id);
        return id;
    }

    public JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get(10, TimeUnit.SECONDS);
    }

    /**
     * Stops a job with a savepoint (sinks commit on it) and returns the savepoint's path. Triggers it only
     * when no periodic checkpoint is in flight: the stop would abort that checkpoint, and a Hudi 0.14
     * writer that has snapshotted for it and then gets a row waits in its task thread for the instant the
     * aborted checkpoint never commits, so the savepoint barrier is never taken (docs/lake.md). Once the
     * savepoint is pending no periodic checkpoint starts: jobs allow one at a time, and only savepoints
     * are forced past that limit.
     */
    public String stopWithSavepoint(JobID job) throws Exception {
        awaitNoCheckpointInFlight(job);
        String savepoint = cluster.stopWithSavepoint(job, RetainedState.savepointDir(checkpointDir),
                false, SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
        cluster.requestJobResult(job).get(60, TimeUnit.SECONDS);
        jobs.remove(job);
        LOG.info("stopped job {} with savepoint {}", job, savepoint);
        return savepoint;
    }

    private void awaitNoCheckpointInFlight(JobID job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            CheckpointStatsSnapshot stats = cluster.getArchivedExecutionGraph(job).get(60, TimeUnit.SECONDS)
                    .getCheckpointStatsSnapshot();
            if (stats == null || stats.getCounts().getNumberOfInProgressCheckpoints() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                LOG.warn("job {} still has a checkpoint in flight after 2 minutes; stopping it anyway", job);
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /**
     * A job's accumulators: final values once it has ended, otherwise the values the TaskManagers
     * reported with their last heartbeat.
     */
    public Map<String, Object> accumulators(JobID job) throws Exception {
        Map<String, SerializedValue<OptionalFailure<Object>>> serialized = status(job).isGloballyTerminalState()
                ? cluster.requestJobResult(job).get(60, TimeUnit.SECONDS).getAccumulatorResults()
                : cluster.getArchivedExecutionGraph(job).get(60, TimeUnit.SECONDS).getAccumulatorsSerialized();
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, SerializedValue<OptionalFailure<Object>>> entry : serialized.entrySet()) {
            values.put(entry.getKey(), entry.getValue().deserializeValue(getClass().getClassLoader()).getUnchecked());
        }
        return values;
    }

    /**
     * Kills the (only) TaskManager and starts a new one: every running task fails at once and the jobs
     * recover from their last completed checkpoint — the failover path, on real parts.
     */
    public void killTaskManager() throws Exception {
        cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
        cluster.startTaskManager();
        LOG.info("TaskManager killed and replaced");
    }

    /** The REST/Web UI address, e.g. {@code http://127.0.0.1:8081}. */
    public String webUi() throws Exception {
        return cluster.getRestAddress().get().toString();
    }

    /**
     * Stops every job with a savepoint (Hudi commits on it), falling back to cancel, then the cluster.
     */
    @Override
    public void close() throws Exception {
        for (JobID job : List.copyOf(jobs)) {
            try {
                if (!status(job).isGloballyTerminalState()) {
                    stopWithSavepoint(job);
                }
            } catch (Exception e) {
                LOG.warn("stop-with-savepoint of job {} failed ({}), cancelling it", job, e.toString());
                cluster.cancelJob(job).get(30, TimeUnit.SECONDS);
            }
        }
        cluster.close();
        LOG.info("Flink MiniCluster stopped");
    }
}

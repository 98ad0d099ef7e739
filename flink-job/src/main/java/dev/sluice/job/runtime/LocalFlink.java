package dev.sluice.job.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
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
    private final Path checkpointDir;
    private final Duration checkpointInterval;
    private final List<JobID> jobs = new ArrayList<>();

    private LocalFlink(MiniCluster cluster, Path checkpointDir, Duration checkpointInterval) {
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
        Configuration conf = JobEnvironments.checkpointStorage(checkpointDir.toString());
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, restPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        LOG.info("Flink MiniCluster up: {} slots, Web UI {}", slots, cluster.getRestAddress().get());
        return new LocalFlink(cluster, checkpointDir, checkpointInterval);
    }

    /** An environment whose jobs checkpoint as this cluster's settings say; submit it with {@link #submit}. */
    public StreamExecutionEnvironment newEnvironment(int parallelism) {
        return JobEnvironments.create(JobEnvironments.checkpointStorage(checkpointDir.toString()), parallelism,
                checkpointInterval, 3);
    }

    /** Submits the environment's graph as a job named {@code name} and returns once it is running. */
    public JobID submit(StreamExecutionEnvironment env, String name) throws Exception {
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName(name);
        JobGraph graph = streamGraph.getJobGraph();
        JobID id = cluster.submitJob(graph).get().getJobID();
        jobs.add(id);
        LOG.info("submitted job {} ({})", name, id);
        return id;
    }

    public JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get(10, TimeUnit.SECONDS);
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
        for (JobID job : jobs) {
            try {
                if (!status(job).isGloballyTerminalState()) {
                    String savepoint = cluster.stopWithSavepoint(job, checkpointDir.resolve("savepoints").toUri().toString(),
                            false, SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
                    LOG.info("stopped job {} with savepoint {}", job, savepoint);
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

package dev.sluice.job;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.runtime.FlinkRestClient;
import dev.sluice.job.runtime.LocalFlink;
import dev.sluice.job.runtime.Locations;
import dev.sluice.job.runtime.RetainedState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.jobgraph.RestoreMode;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code sluice etl}: runs the ETL job of one source topic in a local Flink cluster (MiniCluster) in this
 * process, or, with {@code --jobmanager}, submits the job jar to a running Flink cluster and returns.
 *
 * <p>Fault tolerance of a local run: checkpoints are retained under {@code <checkpoint dir>/<job name>/}
 * and a new run resumes from the newest complete checkpoint or savepoint there ({@link RetainedState}),
 * so a process killed with {@code kill -9} and started again with the same arguments loses nothing and
 * writes nothing twice: Kafka offsets, Hudi's pending instant, the Hive sink's pending files and the SLA
 * counters all come back from that checkpoint. {@code --from-savepoint} picks the state explicitly,
 * {@code --fresh} ignores it. SIGTERM or Ctrl-C stops the job with a savepoint (sinks commit on it).
 */
@Command(name = "etl", mixinStandardHelpOptions = true,
        description = "Runs the ETL job of one source topic: Kafka raw topic -> stream tables (Hudi, Hive-style Parquet). "
                + "Locally it resumes from its latest retained checkpoint; SIGTERM stops it with a savepoint.")
public final class EtlCommand implements Callable<Integer> {
    private static final String PREFIX = "[sluice etl] ";
    private static final String DEFAULT_CHECKPOINT_DIR = "data/checkpoints";
    private static final String DEFAULT_LOG_DIR = "data/logs";

    @Mixin
    EtlOptions options;

    @Option(names = "--from-savepoint", paramLabel = "PATH",
            description = "Start from this savepoint or retained checkpoint instead of the latest one under --checkpoint-dir.")
    String fromSavepoint;

    @Option(names = "--fresh", description = "Start without state: ignore the retained checkpoints and savepoints of this job "
            + "(the source starts where the pipeline's source.start says). They stay on disk.")
    boolean fresh;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT",
            description = "Submit the job jar to this Flink cluster's REST endpoint (e.g. flink-jobmanager:8081) instead of "
                    + "running locally; prints the job id and returns. The cluster must be able to read --pipeline.")
    String jobmanager;

    @Option(names = "--job-jar", paramLabel = "JAR",
            description = "Job jar for --jobmanager (default: flink-job/target/sluice-flink-job-<version>.jar under the Sluice home).")
    Path jobJar;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Log file of Flink, Hudi and Kafka client logs (default " + DEFAULT_LOG_DIR + "/<job name>.log).")
    Path logFile;

    @Option(names = "--rest-port", defaultValue = "0",
            description = "Port of the local Flink Web UI / REST API on 127.0.0.1 (default 0: any free port, printed at start).")
    int restPort;

    @Option(names = "--metrics-port", defaultValue = "0",
            description = "Port of the Prometheus endpoint of the job's metrics, SLA gauges included (default 0: any free port, printed at start).")
    int metricsPort;

    @Option(names = "--status-interval", defaultValue = "PT30S", converter = EtlOptions.DurationConverter.class,
            description = "How often to print the status line (records in/out/dropped/errored, last commit per table); default 30 s.")
    Duration statusInterval;

    @Spec
    CommandSpec spec;

    private Logger log;

    @Override
    public Integer call() throws Exception {
        validate();
        PipelineConfig config = options.loadPipeline();
        String name = EtlJob.nameFor(config);
        if (jobmanager != null) {
            return submit(name);
        }
        Path logs = logFile != null ? logFile : Path.of(DEFAULT_LOG_DIR, name + ".log");
        // Before anything logs: log4j2 reads this when it initialises (the launcher's log4j2.properties).
        System.setProperty("sluice.log.file", logs.toAbsolutePath().toString());
        log = LoggerFactory.getLogger(EtlCommand.class);
        return runLocally(config, name, logs);
    }

    private void validate() {
        if (fresh && fromSavepoint != null) {
            throw usage("--fresh and --from-savepoint exclude each other: --fresh starts without state");
        }
        if (jobmanager != null && fresh) {
            throw usage("--fresh applies to local runs; a job submitted with --jobmanager starts without state unless --from-savepoint is given");
        }
        if (options.parallelism < 1) {
            throw usage("--parallelism must be at least 1, was " + options.parallelism);
        }
        if (statusInterval.isNegative() || statusInterval.isZero()) {
            throw usage("--status-interval must be positive, was " + statusInterval);
        }
    }

    private int runLocally(PipelineConfig config, String name, Path logs) throws Exception {
        EtlJob job = options.buildJob(config, System::getenv);
        String jobDir = RetainedState.jobDir(options.checkpointDir == null ? DEFAULT_CHECKPOINT_DIR : options.checkpointDir, name);
        SavepointRestoreSettings restore = restoreSettings(jobDir);
        int metrics = metricsPort == 0 ? freePort() : metricsPort;
        try (LocalFlink flink = LocalFlink.start(options.parallelism, restPort, jobDir, options.checkpointInterval,
                LocalFlink.prometheusReporter(String.valueOf(metrics)))) {
            StreamExecutionEnvironment env = EtlOptions.environment(jobDir, options.parallelism, options.checkpointInterval);
            job.attachTo(env);
            JobID id = flink.submit(env, name, restore);
            say("job " + name + " started: id " + id + ", Flink UI " + flink.webUi() + ", metrics http://127.0.0.1:" + metrics
                    + "/metrics, checkpoints " + jobDir + ", log " + logs.toAbsolutePath());
            return superviseUntilStopped(flink, id, new EtlStatus(job.targets()));
        }
    }

    /** From --from-savepoint, nothing (--fresh), or the newest complete checkpoint or savepoint of this job. */
    private SavepointRestoreSettings restoreSettings(String jobDir) {
        if (fromSavepoint != null) {
            say("restoring from " + fromSavepoint + " (--from-savepoint)");
            return SavepointRestoreSettings.forPath(Locations.toUri(fromSavepoint), false, RestoreMode.NO_CLAIM);
        }
        Optional<RetainedState.Snapshot> latest = RetainedState.latest(jobDir);
        if (fresh) {
            say("starting fresh (--fresh)" + latest.map(s -> "; ignoring retained " + s.kind() + " " + s.path()).orElse(""));
            return SavepointRestoreSettings.none();
        }
        if (latest.isEmpty()) {
            say("no retained checkpoint under " + jobDir + ": starting without state");
            return SavepointRestoreSettings.none();
        }
        RetainedState.Snapshot snapshot = latest.get();
        say("restoring from " + snapshot.kind() + " " + snapshot.path());
        return snapshot.restoreSettings();
    }

    /**
     * Prints a status line every --status-interval until SIGTERM/SIGINT (stop with savepoint, exit 0) or the
     * job ends by itself (exit 0 when it finished, 1 when it failed).
     */
    private int superviseUntilStopped(LocalFlink flink, JobID id, EtlStatus status) throws Exception {
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        long nextStatus = System.nanoTime() + statusInterval.toNanos();
        while (!stopRequested.await(500, TimeUnit.MILLISECONDS)) {
            JobStatus state = flink.status(id);
            if (state.isGloballyTerminalState()) {
                say("job ended " + state + ": " + EtlStatus.account(sla(flink, id)) + "; details in the log");
                return state == JobStatus.FINISHED ? 0 : 1;
            }
            if (System.nanoTime() >= nextStatus) {
                say(status.line(sla(flink, id)));
                nextStatus = System.nanoTime() + statusInterval.toNanos();
            }
        }
        say("stopping with a savepoint");
        String savepoint = flink.stopWithSavepoint(id);
        say("stopped with savepoint " + savepoint + ": " + status.line(sla(flink, id)));
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> sla(LocalFlink flink, JobID id) throws Exception {
        Object value = flink.accumulators(id).get(SlaMetrics.ACCUMULATOR);
        return value == null ? Map.of() : (Map<String, Long>) value;
    }

    /** --jobmanager: upload the job jar, run it with the same arguments, print where it runs. */
    private int submit(String name) throws Exception {
        Path jar = jobJar != null ? jobJar : defaultJobJar();
        if (!Files.isRegularFile(jar)) {
            throw usage("--job-jar " + jar + " is not a file");
        }
        FlinkRestClient rest = new FlinkRestClient(jobmanager);
        Path localPipeline = options.localPipeline();
        String pipelineLocation = localPipeline != null ? localPipeline.toAbsolutePath().toString() : options.pipeline;
        String checkpoints = options.checkpointDir == null ? null : Locations.toUri(options.checkpointDir);
        List<String> args = new ArrayList<>(options.toArgs(pipelineLocation, checkpoints));
        say("uploading " + jar + " to " + rest.webUrl());
        String jarId = rest.upload(jar);
        String jobId = rest.run(jarId, EtlJobMain.class.getName(), args,
                fromSavepoint == null ? null : Locations.toUri(fromSavepoint));
        say("job " + name + " submitted: id " + jobId + ", Flink UI " + rest.webUrl() + "#/job/running/" + jobId + "/overview");
        return 0;
    }

    /** {@code <sluice home>/flink-job/target/sluice-flink-job-*.jar}, the one the build made. */
    private Path defaultJobJar() throws IOException {
        Path target = Path.of(System.getProperty("sluice.home", ".")).resolve("flink-job/target");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "sluice-flink-job-*.jar")) {
                found.forEach(jars::add);
            }
        }
        if (jars.size() != 1) {
            throw usage("--jobmanager needs the job jar: found " + jars.size() + " sluice-flink-job-*.jar in " + target
                    + "; build it (./mvnw -B -pl flink-job -am package -DskipTests) or pass --job-jar");
        }
        return jars.get(0);
    }

    private void say(String line) {
        System.out.println(PREFIX + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " " + line);
        if (log != null) {
            log.info(line);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the metrics endpoint", e);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EtlCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println(PREFIX + "failed: " + e.getMessage());
                    return 1;
                })
                .execute(args));
    }
}

package dev.sluice.job;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.job.runtime.RetainedState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Entry class of the job jar {@code sluice-flink-job-<version>.jar}: builds the same {@link EtlJob} as
 * {@code sluice etl} from the same arguments and hands it to whatever cluster runs {@code main} —
 * {@code flink run}, the REST API's {@code /jars/:id/run}, or a FlinkDeployment's {@code job.args}.
 *
 * <pre>{@code
 * flink run sluice-flink-job-0.1.0-SNAPSHOT.jar --pipeline /opt/sluice/pipelines/app-logs.yaml \
 *     --bootstrap-servers kafka:9092 --lake-root s3a://lake/sluice --checkpoint-dir s3a://lake/checkpoints
 * }</pre>
 *
 * <p>Runs inside the cluster's client or JobManager, so it never exits the JVM: bad arguments throw,
 * and the submission fails with the message. Restart strategy, retained checkpoints and checkpoint
 * storage ({@code --checkpoint-dir}, else the cluster's {@code state.checkpoints.dir}) are set as
 * {@code sluice etl} sets them; which checkpoint to resume from is the submitter's choice
 * ({@code flink run -s}, the operator's upgrade mode).
 */
@Command(name = "sluice-flink-job", mixinStandardHelpOptions = true,
        description = "Runs the ETL job of one source topic on the Flink cluster this program is submitted to.")
public final class EtlJobMain {
    @Mixin
    EtlOptions options;

    public static void main(String[] args) throws Exception {
        EtlJobMain main = new EtlJobMain();
        CommandLine commandLine = new CommandLine(main);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + commandLine.getUsageMessage(), e);
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return;
        }
        main.run();
    }

    private void run() throws Exception {
        PipelineConfig config = options.loadPipeline();
        EtlJob job = options.buildJob(config, System::getenv);
        String checkpoints = options.checkpointDir == null ? null : RetainedState.jobDir(options.checkpointDir, job.name());
        StreamExecutionEnvironment env = EtlOptions.environment(checkpoints, options.parallelism, options.checkpointInterval);
        job.attachTo(env);
        env.execute(job.name());
    }
}

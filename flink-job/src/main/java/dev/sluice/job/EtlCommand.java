package dev.sluice.job;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.job.load.LakeStorage;
import dev.sluice.job.runtime.JobEnvironments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice etl}: runs the ETL job of one source topic. Run with {@code java} it starts a local
 * Flink cluster; submitted with {@code flink run} (or a FlinkDeployment) it runs on that cluster.
 */
@Command(name = "etl", mixinStandardHelpOptions = true,
        description = "Runs the ETL job of one source topic: Kafka raw topic -> stream tables (Hudi).")
public final class EtlCommand implements Callable<Integer> {

    @Option(names = "--pipeline", required = true, description = "Pipeline config YAML (see examples/pipelines); re-read at each checkpoint: light changes apply without a restart (docs/pipeline-config.md, Hot reload).")
    Path pipeline;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers, host:port[,host:port].")
    String bootstrapServers;

    @Option(names = "--lake-root", required = true, description = "Lake root: a directory, file:///... or s3a://bucket/prefix.")
    String lakeRoot;

    @Option(names = "--checkpoint-dir", defaultValue = "data/checkpoints", description = "Checkpoint directory or URI (default ${DEFAULT-VALUE}).")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", defaultValue = "PT10S", converter = DurationConverter.class,
            description = "Checkpoint interval, ISO-8601 (PT10S) or seconds; Hudi commits at each checkpoint (default 10 s).")
    Duration checkpointInterval;

    @Option(names = "--metastore-uri", description = "Hive Metastore for tables with a hive sink, e.g. thrift://metastore:9083.")
    String metastoreUri;

    @Option(names = "--s3-endpoint", description = "S3-compatible endpoint for s3a:// lake roots (MinIO, S3Proxy), e.g. http://minio:9000; "
            + "keys from SLUICE_S3_ACCESS_KEY / SLUICE_S3_SECRET_KEY. Omit on AWS to use the default credential chain.")
    String s3Endpoint;

    @Option(names = "--parallelism", defaultValue = "1", description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Override
    public Integer call() throws Exception {
        PipelineConfig config = PipelineConfigLoader.load(pipeline);
        EtlJob.Builder builder = EtlJob.builder().pipeline(config).bootstrapServers(bootstrapServers).lakeRoot(lakeRoot)
                .sinkParallelism(parallelism).metastoreUri(metastoreUri);
        if (s3Endpoint != null) {
            builder.lakeStorage(LakeStorage.s3(s3Endpoint, requiredEnv("SLUICE_S3_ACCESS_KEY"), requiredEnv("SLUICE_S3_SECRET_KEY")));
        }
        EtlJob job = builder.configLocation(pipeline).build();
        StreamExecutionEnvironment env = JobEnvironments.create(JobEnvironments.checkpointStorage(checkpointDir),
                parallelism, checkpointInterval, 10);
        job.attachTo(env);
        env.execute(job.name());
        return 0;
    }

    private String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--s3-endpoint needs the environment variable " + name);
        }
        return value;
    }

    /** Accepts {@code PT10S} or a plain number of seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EtlCommand()).execute(args));
    }
}

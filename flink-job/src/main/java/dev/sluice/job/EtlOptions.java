package dev.sluice.job;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.job.load.LakeStorage;
import dev.sluice.job.runtime.JobEnvironments;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The arguments of one ETL job, shared by {@code sluice etl} (local Flink, or {@code --jobmanager}) and the
 * job jar's {@link EtlJobMain} (flink run, REST submission, a FlinkDeployment's {@code job.args}), so a
 * pipeline runs with the same arguments wherever it runs. {@link #toArgs()} renders them back for a
 * submission to a cluster.
 */
public final class EtlOptions {
    /** Environment variables holding the S3 keys for {@code --s3-endpoint}. */
    static final String S3_ACCESS_KEY_ENV = "SLUICE_S3_ACCESS_KEY";
    static final String S3_SECRET_KEY_ENV = "SLUICE_S3_SECRET_KEY";

    @Option(names = "--pipeline", required = true, description = "Pipeline config YAML: a path or a URI (file:///..., s3a://..., "
            + "any scheme the Flink file systems know). A local file is re-read at each checkpoint: light changes apply "
            + "without a restart (docs/pipeline-config.md, Hot reload).")
    String pipeline;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers, host:port[,host:port].")
    String bootstrapServers;

    @Option(names = "--lake-root", required = true, description = "Lake root: a directory, file:///... or s3a://bucket/prefix.")
    String lakeRoot;

    @Option(names = "--checkpoint-dir", description = "Checkpoint directory or URI; checkpoints and savepoints of the job go to "
            + "<dir>/<job name>/. Default: data/checkpoints when run locally; on a cluster its state.checkpoints.dir.")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", defaultValue = "PT10S", converter = DurationConverter.class,
            description = "Checkpoint interval, ISO-8601 (PT10S) or seconds; Hudi commits at each checkpoint (default 10 s).")
    Duration checkpointInterval;

    @Option(names = "--metastore-uri", description = "Hive Metastore for tables with a hive sink, e.g. thrift://metastore:9083.")
    String metastoreUri;

    @Option(names = "--s3-endpoint", description = "S3-compatible endpoint for s3a:// lake roots (MinIO, S3Proxy), e.g. http://minio:9000; "
            + "keys from " + S3_ACCESS_KEY_ENV + " / " + S3_SECRET_KEY_ENV + ". Omit on AWS to use the default credential chain.")
    String s3Endpoint;

    @Option(names = "--parallelism", defaultValue = "1", description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    /** Restart attempts after a task failure before the job fails (fixed delay of 2 s). */
    static final int RESTART_ATTEMPTS = 10;

    /** Reads the pipeline config; a file on a local disk is also the job's hot-reload location. */
    PipelineConfig loadPipeline() {
        Path local = localPipeline();
        if (local != null) {
            return PipelineConfigLoader.load(local);
        }
        org.apache.flink.core.fs.Path location = new org.apache.flink.core.fs.Path(pipeline);
        try (InputStream in = FileSystem.get(location.toUri()).open(location)) {
            return PipelineConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), pipeline);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --pipeline " + pipeline, e);
        }
    }

    /** The pipeline as a local file when it is one (a path or a {@code file:} URI), else null. */
    Path localPipeline() {
        if (!pipeline.contains("://")) {
            return Path.of(pipeline);
        }
        URI uri = URI.create(pipeline);
        return "file".equals(uri.getScheme()) ? Path.of(uri) : null;
    }

    /**
     * The job these options describe; {@code env} resolves the S3 keys (the process environment, or a
     * test's).
     */
    EtlJob buildJob(PipelineConfig config, Function<String, String> env) {
        EtlJob.Builder builder = EtlJob.builder().pipeline(config).bootstrapServers(bootstrapServers).lakeRoot(lakeRoot)
                .sinkParallelism(parallelism).metastoreUri(metastoreUri);
        if (s3Endpoint != null) {
            builder.lakeStorage(LakeStorage.s3(s3Endpoint, required(env, S3_ACCESS_KEY_ENV), required(env, S3_SECRET_KEY_ENV)));
        }
        Path local = localPipeline();
        if (local != null && Files.isRegularFile(local)) {
            builder.configLocation(local);
        }
        return builder.build();
    }

    /**
     * An environment that checkpoints every {@code --checkpoint-interval} into {@code checkpointDir} (null: the
     * cluster's storage settings) and restarts after task failures.
     */
    static StreamExecutionEnvironment environment(String checkpointDir, int parallelism, Duration interval) {
        Configuration conf = checkpointDir == null ? new Configuration() : JobEnvironments.checkpointStorage(checkpointDir);
        StreamExecutionEnvironment env = JobEnvironments.create(conf, parallelism, interval, RESTART_ATTEMPTS);
        JobEnvironments.retainCheckpoints(env);
        return env;
    }

    /** These options as program arguments of {@link EtlJobMain}, with {@code checkpointDir} as given. */
    List<String> toArgs(String pipelineLocation, String checkpointLocation) {
        List<String> args = new ArrayList<>(List.of("--pipeline", pipelineLocation, "--bootstrap-servers", bootstrapServers,
                "--lake-root", lakeRoot, "--checkpoint-interval", checkpointInterval.toString(),
                "--parallelism", Integer.toString(parallelism)));
        if (checkpointLocation != null) {
            args.addAll(List.of("--checkpoint-dir", checkpointLocation));
        }
        if (metastoreUri != null) {
            args.addAll(List.of("--metastore-uri", metastoreUri));
        }
        if (s3Endpoint != null) {
            args.addAll(List.of("--s3-endpoint", s3Endpoint));
        }
        return args;
    }

    private static String required(Function<String, String> env, String name) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--s3-endpoint needs the environment variable " + name);
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
}
